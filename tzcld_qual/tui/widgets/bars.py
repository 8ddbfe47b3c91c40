"""Terminal bar charts for the statistics screen (plain characters: readable without colour)."""

from __future__ import annotations

from collections.abc import Collection

from rich.table import Table
from rich.text import Text

FULL, LIGHT = "█", "░"


def bar(solid: int, light: int, scale: float, width: int) -> Text:
    """``solid`` as █ then ``light`` as ░, ``scale`` units per cell, at most ``width`` cells."""
    a = min(width, round(solid / scale)) if scale else 0
    b = min(width - a, round(light / scale)) if scale else 0
    if solid and not a:
        a = 1
    return Text.assemble((FULL * a, "bold"), (LIGHT * b, "dim"))


def code_table(rows: list[tuple[str, int, int, int]], width: int, sub_codes: Collection[str] = ()) -> Table:
    """One row per code: applied (█) and pending (░) bars, then the three counts; sub-codes
    (``sub_codes``, and ids with a dot) indented under their parent."""
    table = Table(box=None, pad_edge=False, show_edge=False, expand=False, padding=(0, 1))
    table.add_column("code", no_wrap=True)
    table.add_column("appliqués █ / suggérés ░", no_wrap=True)
    table.add_column("acc.", justify="right", min_width=4, no_wrap=True)
    table.add_column("sugg.", justify="right", min_width=5, no_wrap=True)
    table.add_column("rej.", justify="right", min_width=4, no_wrap=True)
    peak = max((a + p for _c, a, p, _r in rows), default=0)
    cells = max(4, width)
    scale = peak / cells if peak > cells else 1.0
    for code, applied, pending, rejected in rows:
        indent = "  " if code in sub_codes or "." in code else ""
        table.add_row(indent + code, bar(applied, pending, scale, cells), str(applied), str(pending), str(rejected))
    return table


def split_table(
    codes: list[str], values: list[str], counts: dict[str, dict[str, tuple[int, int]]], width: int
) -> Table:
    """Codes × attribute values: applied (█) and pending (░) per cell.

    Every value column is as wide as its bars and counts, its heading wrapped on several lines:
    headings kept on one line (« personne privée durablement d'emploi ») took the width, and at
    80 columns Rich cut the codes and the other values down to « … »."""
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1))
    table.add_column("code", no_wrap=True, min_width=max((len(c) for c in codes), default=4))
    peak = max((a + p for per in counts.values() for a, p in per.values()), default=0)
    cells = max(3, width)
    scale = peak / cells if peak > cells else 1.0
    column = min(cells, peak) + 1 + len(str(peak))
    for value in values:
        table.add_column(value, width=max(column, min(10, cells + 4)), overflow="fold")
    for code in codes:
        row: list[str | Text] = [code]
        for value in values:
            applied, pending = counts.get(code, {}).get(value, (0, 0))
            row.append(Text.assemble(bar(applied, pending, scale, cells), f" {applied}", no_wrap=True))
        table.add_row(*row)
    return table
