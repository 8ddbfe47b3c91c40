"""OpenDocument transcripts (.odt): paragraphs, headings and tables in order, spans included.

A table of « locuteur | propos » rows is read as turns, any other kept out of speech (as in
.docx, :func:`~tzcld_qual.io.paragraphs.table_paragraphs`). Notes and comments are left out:
they are not what was said.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError
from xml.sax import SAXException

from tzcld_qual.errors import InputError, Text
from tzcld_qual.io.paragraphs import Paragraph, parse_paragraphs, table_paragraphs
from tzcld_qual.model import ParsedTranscript

_SKIPPED = frozenset({"note", "annotation", "tracked-changes", "sequence-decls"})


@dataclass(frozen=True, slots=True)
class OdtImporter:
    suffixes: tuple[str, ...] = (".odt",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        from odf.opendocument import load

        try:
            document = load(io.BytesIO(data))
            body = _Body(_bold_styles(document))
            paragraphs = list(body.paragraphs(document.text))
        except (zipfile.BadZipFile, KeyError, ValueError, SAXException, ExpatError) as e:
            raise InputError(
                Text(
                    fr="ce n'est pas un document OpenDocument lisible ({reason})",
                    en="this is not a readable OpenDocument file ({reason})",
                ),
                Text(
                    fr="Ouvrez-le dans LibreOffice et enregistrez-le en .odt.",
                    en="Open it in LibreOffice and save it as .odt.",
                ),
                path=path,
                reason=str(e) or type(e).__name__,
            ) from e
        parsed = parse_paragraphs(paragraphs, source_format="odt")
        return replace(parsed, warnings=tuple(body.warnings) + parsed.warnings)


def _local(node: Any) -> str:
    return str(node.qname[1]) if getattr(node, "qname", None) else ""


def _bold_styles(document: Any) -> frozenset[str]:
    """Names of the text styles that set a bold font weight."""
    from odf.namespaces import FONS, STYLENS

    names = set()
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            if _local(style) != "style":
                continue
            for prop in style.childNodes:
                weight = prop.attributes.get((FONS, "font-weight")) if _local(prop) else None
                if weight in ("bold", "600", "700", "800", "900"):
                    names.add(style.attributes.get((STYLENS, "name"), ""))
    return frozenset(names - {""})


@dataclass
class _Body:
    """The document's paragraphs in order, tables counted and their warnings kept."""

    bold: frozenset[str]
    tables: int = 0
    warnings: list[str] = field(default_factory=list)

    def paragraphs(self, node: Any) -> Iterator[Paragraph]:
        for child in node.childNodes:
            name = _local(child)
            if name in ("p", "h"):
                yield _paragraph(child, self.bold, heading=name == "h")
            elif name == "table":
                self.tables += 1
                paragraphs, warning = table_paragraphs(_rows(child), number=self.tables)
                if warning:
                    self.warnings.append(warning)
                yield from paragraphs
            elif name and name not in _SKIPPED:
                yield from self.paragraphs(child)


def _rows(table: Any) -> list[list[str]]:
    """Each row's cells (merged-over cells left out), a cell's paragraphs one a line."""
    rows: list[list[str]] = []
    for child in table.childNodes:
        name = _local(child)
        if name == "table-row":
            cells = [c for c in child.childNodes if _local(c) == "table-cell"]
            rows.append(["\n".join(_text(p) for p in _cell_paragraphs(cell)) for cell in cells])
        elif name in ("table-header-rows", "table-rows", "table-row-group"):
            rows += _rows(child)
    return rows


def _cell_paragraphs(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        name = _local(child)
        if name in ("p", "h"):
            yield child
        elif name and name not in _SKIPPED:
            yield from _cell_paragraphs(child)


def _paragraph(node: Any, bold: frozenset[str], *, heading: bool) -> Paragraph:
    from odf.namespaces import TEXTNS

    prefix = []
    for child in node.childNodes:
        text = _text(child)
        if not text:
            continue
        if _local(child) != "span" or child.attributes.get((TEXTNS, "style-name")) not in bold:
            break
        prefix.append(text)
    return Paragraph(text=_text(node), bold_prefix="".join(prefix), heading=heading)


def _text(node: Any) -> str:
    """The visible text of an element: spaces (``text:s``), tabs and line breaks included."""
    from odf.namespaces import TEXTNS

    if node.nodeType == node.TEXT_NODE:
        return str(node.data)
    name = _local(node)
    if name == "s":
        return " " * int(node.attributes.get((TEXTNS, "c"), 1))
    if name == "tab":
        return "\t"
    if name == "line-break":
        return "\n"
    if name in _SKIPPED:
        return ""
    return "".join(_text(child) for child in node.childNodes)
