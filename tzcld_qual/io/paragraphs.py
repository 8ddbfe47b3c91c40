"""What Word and OpenDocument transcripts have in common: paragraphs with a bold label.

Both importers reduce their file to :class:`Paragraph` values; the speaker rules then live here
once, whatever the format. Tables are reduced to paragraphs here too (:func:`table_paragraphs`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tzcld_qual.errors import Text
from tzcld_qual.folding import strip_accents
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
    "s'il contient l'entretien, mettez-le en colonnes « locuteur | propos » (plus, au besoin, une colonne "
    "de temps)",
    en="table {number} ({rows}) kept in the text but not read as speech (a cover sheet, a header); "
    "if it holds the interview, lay it out in columns « speaker | speech » (plus, if need be, a column of "
    "times)",
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bold_prefix: str = ""  # text of the leading bold runs, "" if the paragraph starts plain
    heading: bool = False
    label: str = ""  # a speaker label the layout states (a table's column), trusted as bold is


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
    turn before, and a first row whose label is not a speaker, or that names the columns
    (« Intervenant | Propos »), is a header. A third column of times or numbers (« 00:01:23 |
    Enquêtrice | … », as transcription services lay it out) is read too: a time opens its turn
    (« [00:01:23] Enquêtrice : … », as in plain text), a row number is dropped. Any other table is a
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
    for time, label, speech in body:
        if not label:
            out.append(Paragraph(text=speech))
            continue
        label = " ".join(label.split())
        speakers.append(label)
        opening = f"[{time.strip('[]()')}] " if _TIME.fullmatch(time) else ""
        out.append(Paragraph(text=f"{opening}{label} : {speech}", label=label))
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


def _turn_rows(rows: list[list[str]]) -> tuple[list[str], list[tuple[str, str, str]]] | None:
    """``(header row or [], [(time or "", label, speech)…])`` if the table is one of speaker turns."""
    if len(rows) < 2:
        return None
    times, pairs = _without_time_column(rows)
    if any(len(row) != 2 for row in pairs):
        return None
    labels = [_label(row[0]) for row in pairs]
    counts = Counter(label.casefold() for label in labels if label)
    speaker = [bool(label) and names_a_speaker(label, recurs=counts[label.casefold()] >= 2) for label in labels]
    header: list[str] = []
    if labels[0] and (not speaker[0] or _names_columns(pairs[0])):
        header, labels, speaker, times, pairs = rows[0], labels[1:], speaker[1:], times[1:], pairs[1:]
    if sum(speaker) < 2 or not labels[0] or any(label and not ok for label, ok in zip(labels, speaker, strict=True)):
        return None
    return header, [(time, label, row[1]) for time, label, row in zip(times, labels, pairs, strict=True)]


_TIME = re.compile(r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?")
_ROW_NUMBER = re.compile(r"\d{1,5}\.?")
_COLUMN_NAMES = frozenset(
    """propos texte verbatim transcription discours parole paroles contenu reponse reponses
    echange echanges intervention interventions dialogue speech text transcript""".split()
)


_TIME_HEADINGS = frozenset("temps horodatage heure minutage time timecode timestamp n no num numero ligne #".split())


def _without_time_column(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Each row's time (or "") and its other cells, when a three-column table has a column of
    times or row numbers; the rows as they are else. The column must say so: a heading such as
    « Temps » or « N° », or a time or number on four rows in five. A « Commentaire » column with
    one « 12 » in it was taken for row numbers and dropped."""
    if any(len(row) != 3 for row in rows):
        return [""] * len(rows), rows
    for column in range(3):
        cells = [row[column] for row in rows]
        body = cells[1:]
        if not all(not cell or _TIME.fullmatch(cell) or _ROW_NUMBER.fullmatch(cell) for cell in body):
            continue
        heading = strip_accents(cells[0]).casefold().strip(" :°.")
        if heading in _TIME_HEADINGS or (body and sum(bool(cell) for cell in body) >= 0.8 * len(body)):
            return cells, [row[:column] + row[column + 1 :] for row in rows]
    return [""] * len(rows), rows


def _names_columns(row: list[str]) -> bool:
    """A first row « Intervenant | Propos »: its label would pass for a speaker, its second cell
    names the column of speech."""
    return strip_accents(row[1]).strip(" :").casefold() in _COLUMN_NAMES


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
        elif (label := paragraph.label or bold_label(paragraph)) is not None:
            labels.add(label)
        texts.append(text)
        line += text.count("\n") + 1
    text = "\n".join(texts)
    turns, warnings = split_turns(text, labels=labels, headings=headings)
    return ParsedTranscript(text=text, turns=turns, warnings=warnings, source_format=source_format)
