"""An answer's table in the chat pane: a grid sized to its content when it fits, one paragraph per
row when it does not.

Rich gave the labels' column the width of its longest label and squeezed the figures to wrap
inside « 1/18 (6 %) », headers split mid-word (« suggestio / ns »). Here each column's width is
chosen from its cells, taking columns off the widest first: headers wrap first (between words),
then long labels (between words), then compound figures (« 0/18 (0 %) » over « +3 seg. »); a
figure or a word is never broken. A table that does not fit even then becomes one paragraph per
row (the row's name in bold, then « header : value » pairs), broken between pairs only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

_FIGURE = 24  # a cell with a digit up to this long is a figure, kept on one line (« 0/18 (0 %) +3 seg. »)
_TEXT = 10  # a column of words is not wrapped narrower than this (unless its longest word is wider)
_FIGURES = re.compile(r" (?=\+)")  # where a compound figure may wrap: « 0/18 (0 %) | +3 seg. »
_GLUED = re.compile(r"(?<!\S)([^\w\s(]) ")  # « + suggestions »: a lone sign stays with the next word


@dataclass(frozen=True, slots=True)
class Span:
    """A column's widths: everything on one line; its header wrapped; its labels wrapped too;
    its compound figures too (« 0/18 (0 %) » over « +3 seg. »)."""

    natural: int
    cells: int
    words: int
    least: int


class AnswerTable:
    """``rows``: header first, as :class:`~tzcld_qual.chat.values.Answer` carries them."""

    def __init__(self, rows: Sequence[Sequence[object]]) -> None:
        self.rows = [[str(c) for c in row] for row in rows]

    def spans(self) -> list[Span]:
        headers, body = self.rows[0], self.rows[1:]
        spans = []
        for i, header in enumerate(headers):
            cells = [row[i] for row in body if i < len(row)]
            head = _longest_word(_GLUED.sub("\\1\u00a0", header))
            natural = max([cell_len(header), *(cell_len(c) for c in cells)])
            whole = max([head, *(cell_len(c) for c in cells)])
            words = max([head, *(_least(c) for c in cells)])
            least = max([head, *(_least(u) for c in cells for u in _FIGURES.split(c))])
            spans.append(Span(natural, whole, words, least))
        return spans

    def widths(self, room: int, console: Console) -> list[int] | None:
        """Each column's width for a grid ``room`` columns wide, or None: it does not fit."""
        spans = self.spans()
        ones = self.grid([1] * len(spans))
        room -= Measurement.get(console, console.options, ones).maximum - len(spans)  # gaps between columns
        widths = [s.natural for s in spans]
        for floors in ([s.cells for s in spans], [s.words for s in spans], [s.least for s in spans]):
            _shrink(widths, floors, sum(widths) - room)
            if sum(widths) <= room:
                return widths
        return None

    def grid(self, widths: Sequence[int]) -> Table:
        grid = Table(  # two spaces between columns, none at the edges: the pane's width for the cells
            header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0)
        )
        for header, width in zip(self.rows[0], widths, strict=False):
            grid.add_column(header, width=width, overflow="fold")
        for row in self.rows[1:]:
            grid.add_row(*(_cell(cell, width) for cell, width in zip(row, widths, strict=False)))
        return grid

    def paragraphs(self, width: int) -> list[RenderableType]:
        headers = self.rows[0]
        out: list[RenderableType] = []
        for row in self.rows[1:]:
            name = row[0] if row else ""
            pairs = [f"{h} : {v}" for h, v in zip(headers[1:], row[1:], strict=False) if v not in ("", "—")]
            atoms = [(name.strip() + (" —" if pairs else ""), "bold")]
            atoms += [(pair + (" ·" if n < len(pairs) else ""), "") for n, pair in enumerate(pairs, start=1)]
            indent = len(name) - len(name.lstrip())  # a sub-code under its code, wrapped lines too
            line = _packed(atoms, width - indent)
            out.append(Padding(line, (0, 0, 0, indent)) if indent else line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width, console)
        if widths is not None:
            yield Padding(self.grid(widths), (1, 0), expand=False)  # a line apart from the text and quotes
        else:
            yield from self.paragraphs(options.max_width)


def _shrink(widths: list[int], floors: Sequence[int], excess: int) -> None:
    """Take ``excess`` columns off ``widths``, from the widest above its floor: one long label
    wraps before the short ones do."""
    while excess > 0:
        above = [i for i, (w, f) in enumerate(zip(widths, floors, strict=True)) if w > f]
        if not above:
            return
        widest = max(above, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split(" ")), default=0)


def _least(cell: str) -> int:
    """How narrow a cell may wrap: a figure not at all, words down to the longest (indent kept)."""
    if len(cell) <= _FIGURE and any(ch.isdigit() for ch in cell):
        return cell_len(cell)
    indent = len(cell) - len(cell.lstrip())
    return min(cell_len(cell), max(_TEXT, indent + _longest_word(cell.strip())))


def _cell(cell: str, width: int) -> RenderableType:
    """A compound figure too wide broken between its figures (Rich wrapped « +9 / seg. »); a
    sub-code's label under its code, its wrapped lines indented too."""
    if cell_len(cell) > width and len(units := _FIGURES.split(cell)) > 1:
        return _packed([(unit, "") for unit in units], width)
    indent = len(cell) - len(cell.lstrip(" "))
    return Padding(Text(cell[indent:]), (0, 0, 0, indent)) if indent else cell


def _packed(atoms: Sequence[tuple[str, str]], width: int) -> Text:
    """``(text, style)`` atoms on lines of ``width``, broken between atoms (« entretiens : 0/50 (0 %) »
    whole: Rich breaks at non-breaking spaces too); an atom wider than a line, between its words."""
    out, used = Text(), 0
    for atom, style in atoms:
        for word in [atom] if cell_len(atom) <= width else atom.split(" "):
            if used and used + 1 + cell_len(word) > width:
                out.append("\n")
                used = 0
            elif used:
                out.append(" ")
                used += 1
            out.append(word, style)
            used += cell_len(word)
    return out
