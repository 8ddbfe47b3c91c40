"""Tables reduced to paragraphs: which are transcripts, and what their columns hold."""

from __future__ import annotations

import pytest

from tzcld_qual.io.paragraphs import parse_paragraphs, table_paragraphs


def turns(rows: list[list[str]]) -> list[tuple[str, str]]:
    paragraphs, _ = table_paragraphs(rows, number=1)
    parsed = parse_paragraphs(paragraphs, source_format="docx")
    return [(turn.speaker, parsed.text[turn.start : turn.end]) for turn in parsed.turns]


@pytest.mark.parametrize("speech_column", ["Propos", "Texte", "Verbatim", "Réponses :", "Speech"])
def test_a_header_row_naming_the_columns_is_no_turn(speech_column: str) -> None:
    # « Intervenant » passes for a speaker label: the second cell says the row names columns
    rows = [["Intervenant", speech_column], ["Enquêtrice", "Bonjour ?"], ["Karim", "Bonjour."]]
    assert turns(rows) == [("Enquêtrice", "Bonjour ?"), ("Karim", "Bonjour.")]


def test_row_numbers_are_dropped_and_times_open_their_turn_in_any_column() -> None:
    numbered = [["1", "Enquêtrice", "Bonjour ?"], ["2", "Karim", "Bonjour."], ["3", "", "Enfin, oui."]]
    assert turns(numbered) == [("Enquêtrice", "Bonjour ?"), ("Karim", "Bonjour.\nEnfin, oui.")]
    timed = [["Karim", "(00:10)", "Bonjour."], ["Enquêtrice", "00:11", "Bonjour ?"]]
    paragraphs, _ = table_paragraphs(timed, number=1)
    assert [p.text for p in paragraphs] == ["[00:10] Karim : Bonjour.", "[00:11] Enquêtrice : Bonjour ?"]
    assert turns(timed) == [("Karim", "Bonjour."), ("Enquêtrice", "Bonjour ?")]


def test_a_three_column_table_without_times_stays_out_of_speech() -> None:
    rows = [["Enquêtrice", "Bonjour ?", "note"], ["Karim", "Bonjour.", "rire"]]
    paragraphs, warning = table_paragraphs(rows, number=2)
    assert [p.text for p in paragraphs] == ["Enquêtrice\tBonjour ?\tnote", "Karim\tBonjour.\trire"]
    assert all(p.heading and not p.label for p in paragraphs)
    assert warning is not None and warning.startswith("tableau 2 (2 lignes) gardé dans le texte")


def test_a_column_is_a_time_column_only_when_it_says_so() -> None:
    """A « Commentaire » column holding one « 12 » was taken for row numbers and dropped: its
    heading must name times or numbers, or four rows in five carry one."""
    rows = [
        ["Locuteur", "Propos", "Commentaire"],
        ["Enquêtrice", "Bonjour ?", ""],
        ["Mme Leroy", "Oui merci", "12"],
        ["Enquêtrice", "Et ?", ""],
        ["Mme Leroy", "Alors.", ""],
    ]
    paragraphs, warning = table_paragraphs(rows, number=1)
    assert "Mme Leroy\tOui merci\t12" in [p.text for p in paragraphs]  # kept whole, out of speech, said
    assert warning is not None and "gardé dans le texte" in warning
    headed = [["N°", "Locuteur", "Propos"], ["1", "Enquêtrice", "Bonjour ?"], ["", "", "suite"], ["2", "Karim", "Oui"]]
    assert turns(headed) == [("Enquêtrice", "Bonjour ?\nsuite"), ("Karim", "Oui")]
