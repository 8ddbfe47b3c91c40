"""The chat's tables: a grid when it fits, one paragraph per row below that (never « salar / ié·e »)."""

from __future__ import annotations

from rich.console import Console

from tzcld_qual.tui.widgets.answer_table import AnswerTable

ROWS = [
    ["entretien", "rôle", "territoire", "segments"],
    ["r2-03-ppde-petit-bois.docx", "personne privée durablement d'emploi", "Villeneuve – quartier du Petit-Bois", "16"],
    ["r2-04-elue-haut-vallon.txt", "élu·e", "Haut-Vallon", "16"],
]


def shown(width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(AnswerTable(ROWS))
    return console.export_text()


def test_a_table_that_fits_is_a_grid() -> None:
    out = shown(140)
    assert "entretien" in out and "territoire" in out  # the header row
    assert "r2-03-ppde-petit-bois.docx   personne privée durablement d'emploi" in out


def test_a_table_too_wide_becomes_one_paragraph_per_row_wrapped_between_words() -> None:
    out = shown(60)
    flat = " ".join(out.split())
    assert "r2-03-ppde-petit-bois.docx — rôle : personne privée durablement d'emploi · territoire" in flat
    assert "r2-04-elue-haut-vallon.txt — rôle : élu·e · territoire : Haut-Vallon · segments : 16" in flat
    assert "─" not in out  # no grid
    words = set(" ".join(" ".join(r) for r in ROWS).split()) | {"—", "·", ":", "rôle", "territoire", "segments"}
    assert all(w in words for w in out.split()), "a word was cut across lines"
