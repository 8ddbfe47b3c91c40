"""The report as a Word document (python-docx): the same sections, charts given as tables."""

from __future__ import annotations

import io
from typing import Any

from tzcld_qual.outputs import TOOL
from tzcld_qual.reports.report import ReportData
from tzcld_qual.reports.report_blocks import (
    BarChart,
    Block,
    Heading,
    Paragraph,
    QuoteItem,
    Section,
    Table,
    french_spacing,
)


def render_docx(data: ReportData, sections: tuple[Section, ...]) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    _french_a4(document)
    document.core_properties.title = data.heading
    document.core_properties.language = "fr-FR"
    document.core_properties.author = TOOL  # with the last editor, what lets the next report replace this one
    document.core_properties.last_modified_by = TOOL
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(french_spacing(data.heading), level=0)
    m = data.methods
    meta = _paragraph(
        document,
        f"Généré le {data.generated_at} · codebook « {m.codebook_name} » v{m.codebook_version} · "
        f"modèle final : {m.model or 'aucun'} · analystes : {', '.join(m.analysts) or 'aucun'}"
    )
    meta.runs[0].italic = True
    for section in sections:
        document.add_heading(french_spacing(section.title), level=1)
        for block in section.blocks:
            _block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _block(document: Any, block: Block) -> None:
    if isinstance(block, Heading):
        document.add_heading(french_spacing(block.text), level=2)
    elif isinstance(block, Paragraph):
        paragraph = _paragraph(document, block.text)
        if block.kind in ("note", "statement"):
            paragraph.runs[0].italic = True
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, BarChart):
        document.add_paragraph().add_run(french_spacing(block.title)).bold = True
        _table(document, block.table)
    else:
        assert isinstance(block, QuoteItem)
        _paragraph(document, f"« {block.text} »", style="Quote")
        _paragraph(document, f"{block.citation} ({block.note})").runs[0].italic = True


def _table(document: Any, table: Table) -> None:
    if table.caption:
        document.add_paragraph().add_run(french_spacing(table.caption)).bold = True
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    _repeat_as_header(grid.rows[0])
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = french_spacing(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = french_spacing(text)


def _paragraph(document: Any, text: str, style: str | None = None) -> Any:
    return document.add_paragraph(french_spacing(text), style=style)


def _french_a4(document: Any) -> None:
    """A4 pages with 2 cm margins, and French as the language of every style (python-docx's template
    is US Letter in en-US: Word then spell-checked the report in English)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if defaults.find(qn("w:lang")) is None:
        defaults.append(OxmlElement("w:lang"))
    for lang in document.styles.element.iter(qn("w:lang")):  # the defaults and any style that names one
        lang.set(qn("w:val"), "fr-FR")


def _repeat_as_header(row: Any) -> None:
    """The header row is repeated at the top of each page a table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)
