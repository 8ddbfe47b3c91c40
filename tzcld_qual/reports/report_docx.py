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
)


def render_docx(data: ReportData, sections: tuple[Section, ...]) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = f"Rapport d'analyse — {data.project}"
    document.core_properties.language = "fr-FR"
    document.core_properties.author = TOOL  # with the last editor, what lets the next report replace this one
    document.core_properties.last_modified_by = TOOL
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Rapport d'analyse qualitative — {data.project}", level=0)
    m = data.methods
    meta = document.add_paragraph(
        f"Généré le {data.generated_at} · codebook « {m.codebook_name} » v{m.codebook_version} · "
        f"modèle final : {m.model or 'aucun'} · analystes : {', '.join(m.analysts) or 'aucun'}"
    )
    meta.runs[0].italic = True
    for section in sections:
        document.add_heading(section.title, level=1)
        for block in section.blocks:
            _block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _block(document: Any, block: Block) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=2)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph(block.text)
        if block.kind in ("note", "statement"):
            paragraph.runs[0].italic = True
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, BarChart):
        document.add_paragraph().add_run(block.title).bold = True
        _table(document, block.table)
    else:
        assert isinstance(block, QuoteItem)
        document.add_paragraph(f"« {block.text} »", style="Quote")
        document.add_paragraph(f"{block.citation} ({block.note})").runs[0].italic = True


def _table(document: Any, table: Table) -> None:
    if table.caption:
        document.add_paragraph().add_run(table.caption).bold = True
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text
