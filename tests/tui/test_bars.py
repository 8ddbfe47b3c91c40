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


def test_the_top_bar_shortens_a_long_document_name_before_the_position_and_filter() -> None:
    from tzcld_qual.tui.widgets.topbar import _fit

    place = "r2-10-equipe-projet-petit-bois.srt · 15/17 · filtre : F1 · ensemble@1 · claire"
    assert _fit(place, 100) == place
    assert _fit(place, 60) == "r2-10-equipe-pr… · 15/17 · filtre : F1 · ensemble@1 · claire"
    assert _fit(place, 40).startswith("r2-10-e… · 15/17 · filtre : F1") and len(_fit(place, 40)) == 40
    assert _fit("doc · 3/10 · ensemble@1 · claire", 20) == "doc · 3/10 · ensemb…"  # a short name is kept whole
