"""Replacing spans of a text and carrying offsets over to the new text exactly."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Replacement:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Rewritten:
    """The new text and the replacements that made it (sorted, non-overlapping)."""

    text: str
    replacements: tuple[Replacement, ...]
    _ends: tuple[int, ...]
    _shifts: tuple[int, ...]  # cumulative length change after each replacement

    def position(self, old: int) -> int:
        """Where offset ``old`` of the old text is in the new one.

        Offsets outside replaced spans move with the text; the start of a replaced span maps to
        the start of its placeholder. Offsets strictly inside a replaced span have no exact image:
        callers cut detection at their boundaries so that never happens (ValueError if it does).
        """
        index = bisect.bisect_right(self._ends, old)  # replacements wholly at or before ``old``
        if index < len(self.replacements):
            nxt = self.replacements[index]
            if nxt.start < old < nxt.end:
                raise ValueError(f"offset {old} falls inside a replaced span {nxt.start}:{nxt.end}")
        return old + (self._shifts[index - 1] if index else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.position(start), self.position(end)


def rewrite(text: str, replacements: Sequence[Replacement]) -> Rewritten:
    ordered = sorted(replacements, key=lambda r: r.start)
    parts: list[str] = []
    shifts: list[int] = []
    cursor = shift = 0
    for item in ordered:
        if item.start < cursor:
            raise ValueError("overlapping replacements")
        parts += [text[cursor : item.start], item.text]
        shift += len(item.text) - (item.end - item.start)
        shifts.append(shift)
        cursor = item.end
    parts.append(text[cursor:])
    return Rewritten("".join(parts), tuple(ordered), tuple(r.end for r in ordered), tuple(shifts))
