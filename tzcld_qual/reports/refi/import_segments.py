"""Segments for a text that comes from a REFI-QDA file, so that every coded range is one segment.

The rule:
- every distinct coded range (``PlainTextSelection``) becomes one segment with exactly its
  offsets, so codings keep their offsets (ranges may overlap: so do their segments);
- when the file comes from tzcld-qual (its side file lists the segments), those segments are
  restored as they were;
- otherwise the rest of the text is cut as tzcld-qual would read it: speaker turns are found
  with the same rules as the transcript importers (``Nom : …`` labels, roles inferred), and the
  speech of each turn not covered by a coded range becomes one segment per non-blank line,
  trimmed. Text outside any turn (headings, labels) is left out unless it was coded.
A range takes the speaker, role and turn of the turn (or restored segment) where it starts, or
else of the first one it overlaps (a range that starts on a speaker label). A range another tool
coded across speaker turns (a question and its answer) is first cut at the turns
(:func:`cut_at_turns`): one segment holds one speaker's words, or a report would quote the
interviewer's question as the respondent's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from tzcld_qual.io.speakers import UNKNOWN_SPEAKER, infer_roles, split_turns
from tzcld_qual.model import Role
from tzcld_qual.store import NewSegment

_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def build_segments(
    text: str,
    ranges: Iterable[tuple[int, int]],
    known: Sequence[NewSegment] | None = None,
) -> list[NewSegment]:
    """The document's segments, in text order (see the module doc for the rule)."""
    wanted = sorted({(a, b) for a, b in ranges if 0 <= a < b <= len(text)})
    if known:
        owners = sorted(known, key=lambda s: (s.start, s.end))
        base = list(owners)
    else:
        owners = _turn_segments(text)
        base = _uncovered(text, owners, wanted)
    starts = [s.start for s in owners]
    have = {(s.start, s.end) for s in base}
    for a, b in wanted:
        if (a, b) in have:
            continue
        owner = _owner(owners, starts, a, b)
        base.append(NewSegment(owner.turn, owner.speaker, owner.role, a, b, text[a:b]))
    return sorted(base, key=lambda s: (s.start, s.end))


def cut_at_turns(
    text: str, ranges: Iterable[tuple[int, int]], known: Sequence[NewSegment] | None = None
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Each range, as the pieces of it the speaker turns it crosses hold, trimmed (the labels
    and blank lines between turns belong to none); a range within one turn, or in a text whose
    segments are restored (``known``: tzcld-qual's own), stays whole."""
    turns = [] if known else _turn_segments(text)
    out: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b in ranges:
        crossed = [t for t in turns if t.start < b and a < t.end]
        if len(crossed) < 2:
            out[(a, b)] = [(a, b)]
            continue
        pieces = []
        for turn in crossed:
            start, end = max(a, turn.start), min(b, turn.end)
            piece = text[start:end]
            start, end = start + len(piece) - len(piece.lstrip()), end - (len(piece) - len(piece.rstrip()))
            if start < end:
                pieces.append((start, end))
        out[(a, b)] = pieces or [(a, b)]
    return out


def _turn_segments(text: str) -> list[NewSegment]:
    turns, _warnings = split_turns(text)
    roles = infer_roles(text, turns)
    return [
        NewSegment(
            i,
            t.speaker,
            roles.get(t.speaker, Role.RESPONDENT),
            t.start,
            t.end,
            text[t.start : t.end],
        )
        for i, t in enumerate(turns)
    ]


def _uncovered(text: str, turns: Sequence[NewSegment], ranges: Sequence[tuple[int, int]]) -> list[NewSegment]:
    """The lines of each turn's speech that no coded range touches."""
    covered = _merge(ranges)
    out = []
    for turn in turns:
        for a, b in _gaps(turn.start, turn.end, covered):
            for line in _LINE.finditer(text, a, b):
                out.append(NewSegment(turn.turn, turn.speaker, turn.role, line.start(), line.end(), line.group()))
    return out


def _merge(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _gaps(start: int, end: int, covered: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    gaps, cursor = [], start
    for a, b in covered:
        if b <= cursor or a >= end:
            continue
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def _owner(owners: Sequence[NewSegment], starts: Sequence[int], a: int, b: int) -> NewSegment:
    """The turn (or restored segment) a range ``a:b`` belongs to: the one holding its start, else
    the first one it overlaps (a range that starts on a speaker label), else the last one before
    it (the first one when it comes before them all)."""
    if not owners:
        return NewSegment(0, UNKNOWN_SPEAKER, Role.RESPONDENT, 0, 0, "")
    holding = next((s for s in owners if s.start <= a < s.end), None)
    overlapping = next((s for s in owners if s.start < b and a < s.end), None)
    index = bisect.bisect_right(starts, a) - 1
    return holding or overlapping or owners[max(index, 0)]
