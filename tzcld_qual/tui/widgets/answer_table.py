"""An answer's table in the chat pane: a grid when it fits, one paragraph per row when it does not.

Rich squeezes every wrapping column of a too-wide table to the same few characters, so a list of
interviews in a 100-column terminal read « salar / ié·e / EBE ». A table up to a quarter wider
than the pane is still a grid (its long labels wrap between words); wider, it becomes one
paragraph per row (the row's name in bold, then « header : value » pairs), which wraps between
pairs at any width.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

_SQUEEZE = 1.25  # a grid up to this much wider than the pane: its long labels wrap between words
_UNBROKEN = 30  # pairs up to this long never break inside


class AnswerTable:
    """``rows``: header first, as :class:`~tzcld_qual.chat.values.Answer` carries them."""

    def __init__(self, rows: Sequence[Sequence[object]]) -> None:
        self.rows = [[str(c) for c in row] for row in rows]

    def grid(self) -> Table:
        grid = Table(show_header=True, header_style="bold", expand=False, box=box.SIMPLE_HEAD)
        for i, header in enumerate(self.rows[0]):
            grid.add_column(header, overflow="fold", no_wrap=i == 0)  # what names a row stays whole
        for row in self.rows[1:]:
            grid.add_row(*row)
        return grid

    def paragraphs(self) -> list[RenderableType]:
        headers = self.rows[0]
        out: list[RenderableType] = []
        for row in self.rows[1:]:
            name = row[0] if row else ""
            line = Text(name.strip(), style="bold")
            # a pair breaks only around it (« vague : vague 3 » stays on one line)
            pairs = [_unbroken(f"{h} : {v}") for h, v in zip(headers[1:], row[1:], strict=False) if v not in ("", "—")]
            if pairs:
                line.append(" — " + " · ".join(pairs))
            indent = len(name) - len(name.lstrip())  # a sub-code under its code, wrapped lines too
            out.append(Padding(line, (0, 0, 0, indent)) if indent else line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = self.grid()
        natural = Measurement.get(console, options.update(max_width=10_000), grid).maximum  # capped at the width
        if natural <= options.max_width * _SQUEEZE:
            yield grid
        else:
            yield from self.paragraphs()


def _unbroken(pair: str) -> str:
    """Non-breaking spaces inside a short « header : value » pair; a long one may still wrap."""
    return pair.replace(" ", "\u00a0") if len(pair) <= _UNBROKEN else pair.replace(" : ", "\u00a0:\u00a0")
