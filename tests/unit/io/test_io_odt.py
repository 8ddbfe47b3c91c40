"""OpenDocument transcripts: paragraphs, spans, bold labels, tables as in .docx; notes ignored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from odf import teletype
from odf.opendocument import OpenDocumentText
from odf.style import Style, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, Note, NoteBody, NoteCitation, P, S, Span

from tzcld_qual.errors import InputError
from tzcld_qual.io import read_transcript


def test_odt_paragraphs_spans_and_bold_labels(tmp_path: Path) -> None:
    document = OpenDocumentText()
    bold = Style(name="Gras", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    document.text.addElement(H(outlinelevel=1, text="Entretien : Petit-Bois"))
    document.text.addElement(_table([("Q :", "dans un tableau")]))

    def turn(label: str, speech: str) -> P:
        paragraph = P()
        paragraph.addElement(Span(stylename=bold, text=f"{label} :"))
        teletype.addTextToElement(paragraph, f" {speech}")
        document.text.addElement(paragraph)
        return paragraph

    turn("Intervieweuse", "Bonjour ?")
    answer = turn("la directrice adjointe du centre social", "Oui,")
    answer.addElement(S(c=3))
    answer.addElement(Span(text="avec plaisir."))
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="note de bas de page"))
    note.addElement(body)
    answer.addElement(note)
    turn("Intervieweuse", "Merci.")
    path = tmp_path / "e.odt"
    document.save(str(path))

    parsed = read_transcript(path)
    assert parsed.source_format == "odt"
    # a one-row table is a cover sheet: its text is kept, never read as speech (as in .docx)
    assert parsed.text.startswith("Entretien : Petit-Bois\nQ :\tdans un tableau\n")
    assert "note de bas" not in parsed.text
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Intervieweuse", "Bonjour ?"),
        ("la directrice adjointe du centre social", "Oui,   avec plaisir."),
        ("Intervieweuse", "Merci."),
    ]
    assert len(parsed.warnings) == 1 and parsed.warnings[0].startswith("tableau 1 (1 ligne) gardé dans le texte")


def _table(rows: list[tuple[str, ...]]) -> Table:
    table = Table()
    for _ in rows[0]:
        table.addElement(TableColumn())
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell()
            for line in value.split("\n"):
                cell.addElement(P(text=line))
            row.addElement(cell)
        table.addElement(row)
    return table


def test_a_transcript_laid_out_as_a_table_is_read_as_turns(tmp_path: Path) -> None:
    """Tables were left out of .odt files: a « locuteur | propos » transcript was lost whole."""
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Entretien n° 12"))
    document.text.addElement(
        _table(
            [
                ("Enquêtrice", "Comment êtes-vous arrivée à l'EBE ?"),
                ("Mme Leroy", "Par la mairie.\nC'était en 2021."),
                ("Enquêtrice", "Et aujourd'hui ?"),
            ]
        )
    )
    path = tmp_path / "t.odt"
    document.save(str(path))
    parsed = read_transcript(path)
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Enquêtrice", "Comment êtes-vous arrivée à l'EBE ?"),
        ("Mme Leroy", "Par la mairie.\nC'était en 2021."),
        ("Enquêtrice", "Et aujourd'hui ?"),
    ]
    assert any(w.startswith("tableau 1") for w in parsed.warnings)


def test_a_zip_that_is_not_an_odt_raises(tmp_path: Path) -> None:
    path = tmp_path / "faux.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert "faux.odt" in str(caught.value)


def test_a_one_line_cover_cell_is_no_turn(tmp_path: Path) -> None:
    """A « Fiche » table of one cell « Animateur : Paul » became a turn of the facilitator's."""
    document = OpenDocumentText()
    document.text.addElement(_table([("Animateur : Paul",)]))
    document.text.addElement(P(text="Animateur : Bonjour à tous."))
    document.text.addElement(P(text="P1 : Bonjour."))
    path = tmp_path / "c.odt"
    document.save(str(path))
    parsed = read_transcript(path)
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Animateur", "Bonjour à tous."),
        ("P1", "Bonjour."),
    ]
    assert parsed.text.startswith("Animateur : Paul\n")
