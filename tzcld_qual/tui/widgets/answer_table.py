"""An answer's table in the chat pane: a grid when it fits, one paragraph per row when it does not.

Rich squeezes every wrapping column of a too-wide table to the same few characters, so a list of
interviews in a 100-column terminal read « salar / ié·e / EBE ». Below its natural width the
table becomes one paragraph per row (the row's name in bold, then « header : value » pairs), which
wraps between words at any width.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


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

    def paragraphs(self) -> list[Text]:
        headers = self.rows[0]
        out = []
        for row in self.rows[1:]:
            line = Text(row[0], style="bold") if row else Text()
            pairs = [f"{h} : {v}" for h, v in zip(headers[1:], row[1:], strict=False) if v not in ("", "—")]
            if pairs:
                line.append(" — " + " · ".join(pairs))
            out.append(line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = self.grid()
        natural = Measurement.get(console, options.update(max_width=10_000), grid).maximum  # capped at the width
        if natural <= options.max_width:
            yield grid
        else:
            yield from self.paragraphs()
