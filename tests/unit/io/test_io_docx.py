"""Word transcripts: paragraphs, bold labels, tables of turns or cover sheets; properties ignored."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tzcld_qual.errors import InputError
from tzcld_qual.io import read_transcript


def save(document: docx.document.Document, tmp_path: Path, name: str = "e.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def turn(document: docx.document.Document, label: str, speech: str, *, colon_in_bold: bool) -> None:
    paragraph = document.add_paragraph()
    if colon_in_bold:
        paragraph.add_run(f"{label} :").bold = True
        paragraph.add_run(f" {speech}")
    else:
        paragraph.add_run(label).bold = True
        paragraph.add_run(f"\u00a0: {speech}")


def spoken(path: Path) -> list[tuple[str, str]]:
    parsed = read_transcript(path)
    return [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]


def test_bold_labels_are_speakers_even_when_text_rules_would_refuse(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "Quelqu'un"
    document.add_heading("Entretien : le maire", level=1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Enquêtrice :", "dans un tableau"
    turn(document, "Enquêtrice", "Bonjour, monsieur le maire ?", colon_in_bold=True)
    turn(document, "le maire de la commune nouvelle", "Bienvenue.", colon_in_bold=False)
    document.add_paragraph("Une deuxième phrase, plus loin.")
    turn(document, "Enquêtrice", "Merci.", colon_in_bold=False)
    parsed = read_transcript(save(document, tmp_path))
    assert parsed.source_format == "docx"
    assert dict(parsed.attributes) == {}
    # a one-row table is a cover sheet: its text is kept, never read as speech
    assert parsed.text.startswith("Entretien : le maire\nEnquêtrice :\tdans un tableau\nEnquêtrice : Bonjour")
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Enquêtrice", "Bonjour, monsieur le maire ?"),
        ("le maire de la commune nouvelle", "Bienvenue.\nUne deuxième phrase, plus loin."),
        ("Enquêtrice", "Merci."),
    ]
    assert len(parsed.warnings) == 1 and parsed.warnings[0].startswith("tableau 1 (1 ligne) gardé dans le texte")


def test_plain_labels_follow_the_text_rules(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ["Q : Bonjour ?", "R : Oui.", "Il m'a dit : non.", "Q : Et ?", "R : Non."]:
        document.add_paragraph(text)
    assert spoken(save(document, tmp_path)) == [
        ("Q", "Bonjour ?"),
        ("R", "Oui.\nIl m'a dit : non."),
        ("Q", "Et ?"),
        ("R", "Non."),
    ]


def test_bold_without_colon_is_not_a_label(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Q : Vous dites ?")
    paragraph = document.add_paragraph()
    paragraph.add_run("Important").bold = True
    paragraph.add_run(" pour moi.")
    assert spoken(save(document, tmp_path)) == [("Q", "Vous dites ?\nImportant pour moi.")]


def test_a_zip_that_is_not_a_word_document_raises(tmp_path: Path) -> None:
    path = tmp_path / "faux.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert caught.value.path == path and "faux.docx" in str(caught.value)


def wrapped_run(paragraph: Any, wrappers: list[str], text: str, *, tag: str = "w:t") -> None:
    """Append ``<wrappers…><w:r><tag>text</tag></w:r></wrappers…>`` to a paragraph."""
    parent = paragraph._p
    for name in wrappers:
        element = OxmlElement(name)
        if name in ("w:ins", "w:del"):
            element.set(qn("w:id"), "1")
            element.set(qn("w:author"), "Claire")
        parent.append(element)
        parent = element
    run = OxmlElement("w:r")
    body = OxmlElement(tag)
    body.text = text
    body.set(qn("xml:space"), "preserve")
    run.append(body)
    parent.append(run)


def test_text_of_tracked_insertions_content_controls_and_smart_tags_is_read(tmp_path: Path) -> None:
    document = docx.Document()
    question = document.add_paragraph()
    question.add_run("Enquêtrice :").bold = True
    question.add_run(" Vous diriez que vous êtes")
    wrapped_run(question, ["w:ins"], " plus heureuse ?")
    answer = document.add_paragraph()
    wrapped_run(answer, ["w:sdt", "w:sdtContent"], "Mme Martin :")
    answer._p.xpath(".//w:r")[0].get_or_add_rPr().append(OxmlElement("w:b"))
    wrapped_run(answer, ["w:smartTag"], " Oui, à Montclar")
    wrapped_run(answer, ["w:del"], " mot supprimé", tag="w:delText")
    wrapped_run(answer, ["w:hyperlink"], ", voyez ebe.fr")
    run = answer.add_run("\tC'est")
    run.add_break()
    run.add_text("mon fils.")
    parsed = read_transcript(save(document, tmp_path))
    assert parsed.text == (
        "Enquêtrice : Vous diriez que vous êtes plus heureuse ?\n"
        "Mme Martin : Oui, à Montclar, voyez ebe.fr\tC'est\nmon fils."
    )
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Enquêtrice", "Vous diriez que vous êtes plus heureuse ?"),
        ("Mme Martin", "Oui, à Montclar, voyez ebe.fr\tC'est\nmon fils."),
    ]


def table(document: docx.document.Document, rows: list[tuple[str, ...]]) -> None:
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells, values in zip(grid.rows, rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value


LEROY = [
    ("Enquêtrice", "Comment êtes-vous arrivée à l'EBE ?"),
    ("Mme Leroy :", "Par le bouche-à-oreille, une voisine."),
    ("Enquêtrice", "Et ça vous plaît ?"),
    ("Mme Leroy :", "Beaucoup. Je me sens utile, enfin."),
]


def test_a_transcript_laid_out_as_a_table_is_read_as_turns_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Entretien n° 12 – Mme Leroy, salariée EBE")
    table(document, [("Locuteur", "Propos"), *LEROY[:3], ("", "Ça dépend des jours."), LEROY[3]])
    turn(document, "Enquêtrice", "Merci.", colon_in_bold=True)
    parsed = read_transcript(save(document, tmp_path))
    assert parsed.text.startswith("Entretien n° 12 – Mme Leroy, salariée EBE\nLocuteur\tPropos\nEnquêtrice : Comment")
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Enquêtrice", "Comment êtes-vous arrivée à l'EBE ?"),
        ("Mme Leroy", "Par le bouche-à-oreille, une voisine."),
        ("Enquêtrice", "Et ça vous plaît ?\nÇa dépend des jours."),
        ("Mme Leroy", "Beaucoup. Je me sens utile, enfin."),
        ("Enquêtrice", "Merci."),
    ]
    assert any("tableau 1 lu comme des tours de parole" in w and "4 tours" in w for w in parsed.warnings)


def test_a_table_only_transcript_is_not_empty(tmp_path: Path) -> None:
    document = docx.Document()
    table(document, LEROY[:2])
    assert spoken(save(document, tmp_path)) == [
        ("Enquêtrice", "Comment êtes-vous arrivée à l'EBE ?"),
        ("Mme Leroy", "Par le bouche-à-oreille, une voisine."),
    ]


def test_a_cover_sheet_table_is_kept_as_text_but_never_read_as_speech(tmp_path: Path) -> None:
    document = docx.Document()
    table(document, [("Date", "12/02/2024"), ("Lieu", "Montclar"), ("Enquêtrice : Claire", "Durée : 45 min")])
    turn(document, "Enquêtrice", "Bonjour ?", colon_in_bold=True)
    turn(document, "Karim", "Bonjour.", colon_in_bold=True)
    parsed = read_transcript(save(document, tmp_path))
    assert parsed.text.startswith("Date\t12/02/2024\nLieu\tMontclar\nEnquêtrice : Claire\tDurée : 45 min\n")
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Enquêtrice", "Bonjour ?"),
        ("Karim", "Bonjour."),
    ]
    assert parsed.warnings == ()  # a record card of short « field | value » rows: obviously no speech


def test_a_table_with_a_time_column_is_read_as_turns_opened_by_their_times(tmp_path: Path) -> None:
    document = docx.Document()
    table(
        document,
        [
            ("Temps", "Locuteur", "Propos"),
            ("00:01:05", "Enquêtrice", "Bonjour ?"),
            ("00:01:09", "Karim", "Bonjour, je suis content d'être là."),
            ("00:02:41", "Enquêtrice", "Pourquoi ?"),
            ("00:02:43", "Karim", "Parce que j'ai un CDI."),
        ],
    )
    parsed = read_transcript(save(document, tmp_path))
    assert parsed.text.startswith("Temps\tLocuteur\tPropos\n[00:01:05] Enquêtrice : Bonjour ?\n[00:01:09] Karim :")
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns][-2:] == [
        ("Enquêtrice", "Pourquoi ?"),
        ("Karim", "Parce que j'ai un CDI."),
    ]
    assert parsed.warnings[0].startswith("tableau 1 lu comme des tours de parole") and "4 tours" in parsed.warnings[0]
