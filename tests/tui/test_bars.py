"""``tui.widgets.bars``: the statistics screen's per-code table."""

from __future__ import annotations

from rich.console import Console

from tzcld_qual.tui.widgets.bars import code_table


def _lines(table: object) -> list[str]:
    console = Console(width=80, record=True, color_system=None)
    console.print(table)
    return console.export_text().splitlines()


def test_sub_codes_are_indented_under_their_parent_whatever_their_names() -> None:
    rows = [("MOI", 3, 1, 0), ("fierte", 2, 0, 1), ("MOI.liens", 1, 0, 0), ("AUTRE", 0, 2, 0)]
    lines = _lines(code_table(rows, 20, sub_codes={"fierte"}))
    starts = {line.split()[0]: line.index(line.split()[0]) for line in lines[1:]}
    assert starts["MOI"] == starts["AUTRE"] == 0
    assert starts["fierte"] == starts["MOI.liens"] == 2
