"""OpenDocument transcripts: paragraphs, spans, bold labels; tables and notes ignored."""

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
    table = Table()
    table.addElement(TableColumn())
    row = TableRow()
    cell = TableCell()
    cell.addElement(P(text="Q : dans un tableau"))
    row.addElement(cell)
    table.addElement(row)
    document.text.addElement(table)

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
    assert "dans un tableau" not in parsed.text and "note de bas" not in parsed.text
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Intervieweuse", "Bonjour ?"),
        ("la directrice adjointe du centre social", "Oui,   avec plaisir."),
        ("Intervieweuse", "Merci."),
    ]
    assert parsed.warnings == ()


def test_a_zip_that_is_not_an_odt_raises(tmp_path: Path) -> None:
    path = tmp_path / "faux.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert "faux.odt" in str(caught.value)
