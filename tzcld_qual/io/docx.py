"""Word transcripts (.docx): body paragraphs and tables in order; document properties ignored.

A table laid out « speaker | speech », one turn per row, is read as speaker turns; any other
table (a cover sheet, usually) is kept as text but never read as speech (see
:func:`~tzcld_qual.io.paragraphs.table_paragraphs`). Core properties (author, title) describe
the file, not the interview: attributes come from front matter or the attributes CSV instead.

A paragraph's text is every run Word shows: runs inside tracked insertions (``w:ins``,
``w:moveTo``), content controls (``w:sdt``), smart tags, hyperlinks and simple fields count;
tracked deletions (``w:del``, ``w:moveFrom``), text boxes and compatibility fallbacks do not.
python-docx's ``Paragraph.text`` reads only direct runs and hyperlinks, so it is not used.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from tzcld_qual.errors import InputError, Text
from tzcld_qual.io.paragraphs import Paragraph, parse_paragraphs, table_paragraphs
from tzcld_qual.model import ParsedTranscript

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.text.paragraph import CT_P
    from docx.oxml.text.run import CT_R
    from docx.text.paragraph import Paragraph as WordParagraph
    from docx.text.run import Run
    from lxml.etree import _Element

_HEADING_STYLES = ("heading", "titre", "title", "subtitle", "sous-titre")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RUN = f"{_W}r"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"})
# never shown as text of the paragraph: deleted or moved-away text, text boxes (a story of their
# own), the fallback copy of an mc:AlternateContent, and properties
_HIDDEN = frozenset(
    {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", f"{_MC}Fallback", f"{_W}pPr", f"{_W}rPr", f"{_W}sdtPr"}
)


@dataclass(frozen=True, slots=True)
class DocxImporter:
    suffixes: tuple[str, ...] = (".docx",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from lxml.etree import XMLSyntaxError

        try:
            document = docx.Document(io.BytesIO(data))
            body = _BodyReader(document)
            paragraphs = list(body.blocks(document.element.body))
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
        parsed = parse_paragraphs(paragraphs, source_format="docx")
        return replace(parsed, warnings=tuple(body.warnings) + parsed.warnings)


@dataclass(slots=True)
class _BodyReader:
    """Paragraphs and tables of a story in document order, through content controls."""

    document: WordDocument
    warnings: list[str] = field(default_factory=list)
    tables: int = 0

    def blocks(self, container: _Element) -> Iterator[Paragraph]:
        for element in _children(container, (_P, _TBL)):
            if element.tag == _P:
                yield _paragraph(self._word_paragraph(element))
                continue
            self.tables += 1
            rows = [[self._cell_text(cell) for cell in _children(row, (_TC,))] for row in _children(element, (_TR,))]
            paragraphs, warning = table_paragraphs(rows, number=self.tables)
            if warning:
                self.warnings.append(warning)
            yield from paragraphs

    def _cell_text(self, cell: _Element) -> str:
        """A cell's paragraphs, one a line; a nested table's rows, one a line, cells tab-separated."""
        lines = []
        for element in _children(cell, (_P, _TBL)):
            if element.tag == _P:
                lines.append(_paragraph(self._word_paragraph(element)).text)
                continue
            for row in _children(element, (_TR,)):
                lines.append("\t".join(" ".join(self._cell_text(c).split()) for c in _children(row, (_TC,))))
        return "\n".join(lines)

    def _word_paragraph(self, element: _Element) -> WordParagraph:
        from docx.text.paragraph import Paragraph as WordParagraph

        return WordParagraph(cast("CT_P", element), self.document)


def _children(element: _Element, tags: tuple[str, ...]) -> Iterator[_Element]:
    """The children of ``element`` with one of ``tags``, content controls and custom XML unwrapped."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _paragraph(paragraph: WordParagraph) -> Paragraph:
    from docx.text.run import Run

    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    runs = [Run(r, paragraph) for r in _visible_runs(paragraph._p)]
    bold = []
    for run in runs:
        if not run.text:
            continue
        if not _is_bold(run):
            break
        bold.append(run.text)
    return Paragraph(
        text="".join(run.text for run in runs),
        bold_prefix="".join(bold),
        heading=style.casefold().startswith(_HEADING_STYLES),
    )


def _is_bold(run: Run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    return bool(style is not None and style.font.bold)


def _visible_runs(element: _Element) -> Iterator[CT_R]:
    """The ``w:r`` elements shown in ``element``, in document order, however deeply wrapped."""
    for child in element:
        if child.tag == _RUN:
            yield cast("CT_R", child)
        elif child.tag not in _HIDDEN:
            yield from _visible_runs(child)
