"""Word transcripts (.docx): body paragraphs in order; tables and document properties ignored.

Tables usually hold an interview's cover sheet, and core properties (author, title) describe the
file, not the interview: attributes come from front matter or the attributes CSV instead.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tzcld_qual.errors import InputError, Text
from tzcld_qual.io.paragraphs import Paragraph, parse_paragraphs
from tzcld_qual.model import ParsedTranscript

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph as WordParagraph
    from docx.text.run import Run

_HEADING_STYLES = ("heading", "titre", "title", "subtitle", "sous-titre")


@dataclass(frozen=True, slots=True)
class DocxImporter:
    suffixes: tuple[str, ...] = (".docx",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from lxml.etree import XMLSyntaxError

        try:
            document = docx.Document(io.BytesIO(data))
            paragraphs = [_paragraph(p) for p in document.paragraphs]
        except (
            PackageNotFoundError,
            zipfile.BadZipFile,
            KeyError,
            ValueError,
            XMLSyntaxError,
        ) as e:
            raise InputError(
                Text(
                    fr="ce n'est pas un document Word lisible ({reason})",
                    en="this is not a readable Word document ({reason})",
                ),
                Text(
                    fr="Ouvrez-le dans Word ou LibreOffice et enregistrez-le en .docx.",
                    en="Open it in Word or LibreOffice and save it as .docx.",
                ),
                path=path,
                reason=str(e) or type(e).__name__,
            ) from e
        return parse_paragraphs(paragraphs, source_format="docx")


def _paragraph(paragraph: WordParagraph) -> Paragraph:
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    bold = []
    for run in paragraph.runs:
        if not run.text:
            continue
        if not _is_bold(run):
            break
        bold.append(run.text)
    return Paragraph(
        text=paragraph.text,
        bold_prefix="".join(bold),
        heading=style.casefold().startswith(_HEADING_STYLES),
    )


def _is_bold(run: Run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    return bool(style is not None and style.font.bold)
