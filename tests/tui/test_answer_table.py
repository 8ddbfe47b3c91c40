"""The chat's tables: columns sized to their content, figures never broken, one paragraph per row
when even that does not fit (never « salar / ié·e » nor « 1/18 (6 / %) »)."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from tzcld_qual.tui.widgets.answer_table import AnswerTable

ROWS = [
    ["entretien", "rôle", "territoire", "segments"],
    ["r2-03-ppde-petit-bois.docx", "personne privée durablement d'emploi", "Villeneuve – quartier du Petit-Bois", "16"],
    ["r2-04-elue-haut-vallon.txt", "élu·e", "Haut-Vallon", "16"],
]
# « Compare F5 entre salariés et PPDE »
COMPARE = [
    ["rôle", "entretiens", "répondants", "segments", "+ suggestions (segments)"],
    ["salarié·e EBE", "1/18 (6 %)", "1/23 (4 %)", "2/328 (1 %)", "+36"],
    ["personne privée durablement d'emploi", "0/10 (0 %)", "0/10 (0 %)", "0/168 (0 %)", "+4"],
]
# « Compare les codes par rôle »: code × attribute value
BY_ROLE = [
    ["code", "membre du CLE", "partenaire", "personne privée durablement d'emploi", "salarié·e EBE", "élu·e",
     "équipe projet"],
    *[[f"F{n}", "0/6 (0 %) +23 seg.", "0/6 (0 %) +9 seg.", "10/10 (100 %) +11 seg.", "0/18 (0 %) +3 seg.",
       "0/5 (0 %) +10 seg.", "0/5 (0 %) +16 seg."] for n in range(1, 9)],
]
# « quels codes apparaissent avec F4 ? »
COOCCURRENCE = [
    ["code", "libellé", "segments en commun", "part des segments F4", "entretiens où les deux apparaissent"],
    ["F7", "L'EBE, outil de cohésion sociale", "12", "38 %", "9/14 (64 %)"],
    ["F2", "Changement de regard sur l'employabilité", "3", "9 %", "3/14 (21 %)"],
    ["F8", "Activités de cohésion et modèle économique", "0", "0 %", "0/14 (0 %)"],
]
# « quels sont les codes les plus fréquents ? », with sub-codes
FREQUENT = [
    ["code", "libellé", "entretiens", "répondants", "segments", "+ suggestions (segments)"],
    ["F4", "Changement de regard sur soi", "12/50 (24 %)", "14/55 (25 %)", "40/862 (5 %)", "+152"],
    ["  F4.accompagnement", "Accompagnement du CLE avant l'embauche", "3/50 (6 %)", "3/55 (5 %)", "4/862 (0 %)", "+28"],
    ["F8", "Activités de cohésion et modèle économique", "0/50 (0 %)", "0/55 (0 %)", "0/862 (0 %)", "+54"],
]
# the chat pane's answers at 80, 100 and 140 columns (bubble borders, padding and scrollbar off)
PANES = (69, 89, 129)


def shown(rows: list[list[str]], width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(AnswerTable(rows))
    return console.export_text()


def figures(rows: list[list[str]]) -> set[str]:
    """Every figure of the cells: « 1/18 (6 %) », « +3 seg. », « 38 % »."""
    return {unit for row in rows[1:] for cell in row for unit in re.split(r" (?=\+)", cell) if re.search(r"\d", unit)}


def breaks(rows: list[list[str]], out: str, width: int) -> list[str]:
    """What is wrong with ``out``: a line wider than ``width``, a figure broken across lines, a word cut."""
    lines = out.splitlines()
    wrong = [f"line wider than {width}: {line!r}" for line in lines if len(line.rstrip()) > width]
    wrong += [f"« {f} » broken across lines" for f in figures(rows) if not any(f in line for line in lines)]
    words = {w for row in rows for cell in row for w in cell.split()}
    wrong += [f"word cut: {w!r}" for w in out.split() if not (w in words | {"—", "·", ":"} or set(w) <= {"─"})]
    return wrong


def test_a_table_that_fits_is_a_grid() -> None:
    out = shown(ROWS, 140)
    assert "entretien" in out and "territoire" in out  # the header row
    assert "r2-03-ppde-petit-bois.docx  personne privée durablement d'emploi" in out


@pytest.mark.parametrize("width", PANES)
def test_the_labels_column_is_no_wider_than_its_longest_label_and_figures_stay_whole(width: int) -> None:
    out = shown(COMPARE, width)
    assert breaks(COMPARE, out, width) == []
    assert "─" in out  # a grid at each width, not paragraphs
    row = next(line for line in out.splitlines() if line.startswith("salarié·e EBE"))
    label = len("personne privée durablement d'emploi")
    assert row.index("1/18 (6 %)") <= label + 2  # the figures right after the labels: no 40-column gap
    if width >= 89:
        assert "personne privée durablement d'emploi  0/10 (0 %)" in out  # on one line when there is room
        assert "suggestio\n" not in out


def test_a_header_wraps_between_words_and_keeps_a_sign_with_its_word() -> None:
    out = shown(COMPARE, 69)
    assert "+ suggestions" in out and "(segments)" in out
    assert not any(line.rstrip().endswith(" +") for line in out.splitlines())


@pytest.mark.parametrize("rows", [BY_ROLE, COOCCURRENCE, FREQUENT], ids=["code-x-role", "cooccurrence", "frequent"])
@pytest.mark.parametrize("width", PANES)
def test_every_kind_of_table_keeps_its_figures_whole(rows: list[list[str]], width: int) -> None:
    assert breaks(rows, shown(rows, width), width) == []


def test_a_compound_figure_wraps_between_its_figures_not_inside() -> None:
    out = shown(BY_ROLE, 89)
    assert "─" in out  # still a grid at 100 columns
    lines = out.splitlines()
    assert any(line.startswith("F1    0/6 (0 %) ") for line in lines)
    assert "+9 seg." in out and not any(line.rstrip().endswith("+9") for line in lines)


def test_a_sub_code_stays_indented_under_its_code() -> None:
    out = shown(FREQUENT, 89)
    assert "\n  F4.accompagnement" in out


def test_a_table_too_wide_becomes_one_paragraph_per_row_broken_between_pairs() -> None:
    out = shown(ROWS, 60)
    flat = " ".join(out.split())
    assert "r2-03-ppde-petit-bois.docx — rôle : personne privée durablement d'emploi · territoire" in flat
    assert "r2-04-elue-haut-vallon.txt — rôle : élu·e · territoire : Haut-Vallon · segments : 16" in flat
    assert "─" not in out  # no grid
    words = set(" ".join(" ".join(r) for r in ROWS).split()) | {"—", "·", ":", "rôle", "territoire", "segments"}
    assert all(w in words for w in out.split()), "a word was cut across lines"
    for line in out.splitlines():
        assert not line.rstrip().endswith((" :", "(0")) and not line.startswith((":", "%"))


def test_a_paragraph_never_breaks_inside_a_figure() -> None:
    out = shown(FREQUENT, 40)  # too narrow for a grid
    assert breaks(FREQUENT, out, 40) == []
    assert "─" not in out
