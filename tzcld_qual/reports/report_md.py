"""The report in Markdown: the same sections, each chart given as its table of figures."""

from __future__ import annotations

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


def render_markdown(data: ReportData, sections: tuple[Section, ...]) -> str:
    m = data.methods
    lines = [
        f"# {data.heading}",
        "",
        f"*Généré le {data.generated_at} · codebook « {m.codebook_name} » v{m.codebook_version} · "
        f"modèle final : {m.model or 'aucun'} · analystes : {', '.join(m.analysts) or 'aucun'}*",
        "",
        "Sommaire :",
        "",
        *(f"{i}. {s.title}" for i, s in enumerate(sections, 1)),
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"### {block.text}"]
    if isinstance(block, Paragraph):
        return [f"*{_escape(block.text)}*" if block.kind == "note" else _escape(block.text)]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, BarChart):
        return [f"**{_escape(block.title)}**", "", *_table(block.table)]
    assert isinstance(block, QuoteItem)
    return [
        f"> « {_escape(block.text)} »",
        ">",
        f"> — {_escape(block.citation)} *({_escape(block.note)})*",
    ]


def _table(table: Table) -> list[str]:
    out = [f"*{_escape(table.caption)}*", ""] if table.caption else []
    out.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
    out.append("|" + "|".join("---" for _ in table.headers) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return out


def _cell(text: str) -> str:
    return _escape(text).replace("|", "\\|").replace("\n", " ") or " "


def _escape(text: str) -> str:
    """Keep transcript text literal: no accidental emphasis, headings or HTML."""
    for char in ("\\", "*", "_", "`", "<", ">", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text
