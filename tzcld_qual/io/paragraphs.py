"""What Word and OpenDocument transcripts have in common: paragraphs with a bold label.

Both importers reduce their file to :class:`Paragraph` values; the speaker rules then live here
once, whatever the format. Tables are reduced to paragraphs here too (:func:`table_paragraphs`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tzcld_qual.errors import Text
from tzcld_qual.io.decode import normalise_text
from tzcld_qual.io.speakers import names_a_speaker, split_turns
from tzcld_qual.model import ParsedTranscript

TABLE_OF_TURNS = Text(
    fr="tableau {number} lu comme des tours de parole (une ligne par tour : locuteur | propos) : "
    "{count} tours ({speakers}) ; vérifiez le découpage",
    en="table {number} read as speaker turns (one row per turn: speaker | speech): {count} turns "
    "({speakers}); check the segmentation",
)
TABLE_NOT_SPEECH = Text(
    fr="tableau {number} ({rows}) gardé dans le texte mais pas lu comme des propos (fiche, en-tête) ; "
    "s'il contient l'entretien, mettez-le en deux colonnes « locuteur | propos »",
    en="table {number} ({rows}) kept in the text but not read as speech (a cover sheet, a header); "
    "if it holds the interview, lay it out in two columns « speaker | speech »",
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bold_prefix: str = ""  # text of the leading bold runs, "" if the paragraph starts plain
    heading: bool = False


def bold_label(paragraph: Paragraph) -> str | None:
    """The speaker label of a paragraph that starts with a bold ``Label :`` or bold ``Label``
    followed by ``:``.

    Bold is the transcriber saying "this is a speaker", so such a label is trusted even when
    it would not pass the plain-text heuristics (long, lower-case, said only once).
    """
    prefix = normalise_text(paragraph.bold_prefix).strip()
    if not prefix or "\n" in prefix:
        return None
    if prefix.endswith(":"):
        label = prefix[:-1]
    else:
        text = normalise_text(paragraph.text).lstrip()
        rest = text[len(prefix) :] if text.startswith(prefix) else ""
        if not rest.lstrip().startswith(":"):
            return None
        label = prefix
    label = " ".join(label.split())
    return label or None


def table_paragraphs(rows: Sequence[Sequence[str]], *, number: int) -> tuple[list[Paragraph], str | None]:
    """The paragraphs a table stands for, and a warning when it was read as speaker turns.

    ``rows`` hold each cell's text (its paragraphs joined with ``\\n``). A table whose rows have
    two cells, the first naming a speaker (« Enquêtrice », « Mme Leroy », or a label that
    recurs), is a transcript laid out as a table: each row becomes the turn « label : speech »,
    with the label trusted as a bold one would be; a row with an empty first cell continues the
    turn before, and a first row whose label is not a speaker is a header. Any other table is a
    cover sheet or a note: a one-cell row is an ordinary paragraph, a row of several cells one
    line with its cells separated by tabs, kept in the text but never read as speech (said).
    """
    filled = [[normalise_text(cell).strip() for cell in row] for row in rows]
    filled = [row for row in filled if any(row)]
    turns = _turn_rows(filled)
    if turns is None:
        out = [_plain_row(row) for row in filled]
        kept_out = sum(paragraph.heading for paragraph in out)
        rows = f"{kept_out} ligne" if kept_out < 2 else f"{kept_out} lignes"
        said = kept_out and not _record_card(filled)
        return out, TABLE_NOT_SPEECH.render(number=number, rows=rows) if said else None
    header, body = turns
    out = [_plain_row(header)] if header else []
    speakers: list[str] = []
    for label, speech in body:
        if not label:
            out.append(Paragraph(text=speech))
            continue
        label = " ".join(label.split())
        speakers.append(label)
        out.append(Paragraph(text=f"{label} : {speech}", bold_prefix=f"{label} :"))
    names = list(dict.fromkeys(speakers))
    listed = ", ".join(f"« {name} »" for name in names[:4]) + (", …" if len(names) > 4 else "")
    return out, TABLE_OF_TURNS.render(number=number, count=len(speakers), speakers=listed)


def _record_card(rows: list[list[str]]) -> bool:
    """A table of « field | short value » rows (« role | salarié·e EBE », « date | 2023-06-20 »):
    an interview's record card, obviously no speech, kept in the text without a word (the demo's
    four .docx each drew a warning)."""
    return all(
        len(row) == 2
        and 0 < len(row[0]) <= 30
        and len(row[0].split()) <= 3
        and len(row[1]) <= 100
        and not names_a_speaker(_label(row[0]), recurs=False)  # « Enquêtrice : | dans un tableau » may be speech
        for row in rows
    )


def _turn_rows(rows: list[list[str]]) -> tuple[list[str], list[tuple[str, str]]] | None:
    """``(header row or [], [(label, speech)…])`` if the table is one of speaker turns."""
    if len(rows) < 2 or any(len(row) != 2 for row in rows):
        return None
    labels = [_label(row[0]) for row in rows]
    counts = Counter(label.casefold() for label in labels if label)
    speaker = [bool(label) and names_a_speaker(label, recurs=counts[label.casefold()] >= 2) for label in labels]
    header: list[str] = []
    if labels[0] and not speaker[0]:
        header, labels, speaker, rows = rows[0], labels[1:], speaker[1:], rows[1:]
    if sum(speaker) < 2 or not labels[0] or any(label and not ok for label, ok in zip(labels, speaker, strict=True)):
        return None
    return header, [(label, row[1]) for label, row in zip(labels, rows, strict=True)]


def _label(cell: str) -> str:
    """A first cell « Enquêtrice : » or « Enquêtrice » as the label « Enquêtrice »; "" if empty."""
    return cell.removesuffix(":").strip()


def _plain_row(row: Sequence[str]) -> Paragraph:
    """A row kept in the text: a one-cell row of several lines (a transcript in a box) as an
    ordinary paragraph, any other out of speech (« Animateur : Paul », a one-cell cover sheet,
    became a turn of the facilitator's)."""
    if len(row) == 1 and "\n" in row[0]:
        return Paragraph(text=row[0])
    return Paragraph(text="\t".join(" ".join(cell.split()) for cell in row), heading=True)


def parse_paragraphs(paragraphs: Iterable[Paragraph], *, source_format: str) -> ParsedTranscript:
    """Join paragraphs with ``\\n`` and split the result into speaker turns."""
    texts: list[str] = []
    labels: set[str] = set()
    headings: set[int] = set()
    line = 0
    for paragraph in paragraphs:
        text = normalise_text(paragraph.text)
        if paragraph.heading:
            headings.update(range(line, line + text.count("\n") + 1))
        elif (label := bold_label(paragraph)) is not None:
            labels.add(label)
        texts.append(text)
        line += text.count("\n") + 1
    text = "\n".join(texts)
    turns, warnings = split_turns(text, labels=labels, headings=headings)
    return ParsedTranscript(text=text, turns=turns, warnings=warnings, source_format=source_format)
