"""The report as one self-contained HTML page: inline CSS and SVG, no script, no external file."""

from __future__ import annotations

from html import escape

from tzcld_qual.reports.report import ReportData
from tzcld_qual.reports.report_blocks import (
    BADGES,
    BarChart,
    Block,
    Heading,
    Paragraph,
    Section,
    Table,
    french_spacing,
)
from tzcld_qual.reports.report_svg import bar_chart_svg

CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d9dde3; --accent: #4c6a92; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fafbfc;
       font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header, main { max-width: 1000px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.35em; border-bottom: 2px solid var(--accent); padding-bottom: 4px;
     margin-top: 0; }
h3 { font-size: 1.05em; margin: 22px 0 8px; color: var(--accent); }
.meta { color: var(--muted); margin: 0 0 16px; }
nav.toc { background: #fff; border: 1px solid var(--line); border-radius: 6px;
          padding: 10px 18px; margin-bottom: 20px; }
nav.toc h2 { border: 0; font-size: 1em; margin: 0 0 4px; }
nav.toc ol { margin: 0; padding-left: 20px; columns: 2; column-gap: 40px; }
nav.toc li { break-inside: avoid; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto;
          padding: 18px 22px; margin-bottom: 20px; }
p.note { color: var(--muted); font-size: 0.92em; }
p.statement { border-left: 4px solid var(--finding, var(--accent)); padding: 4px 12px;
              background: #f5f7fa; font-style: italic; }
figure { margin: 14px 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { max-width: 100%; height: auto; display: block; }
details summary { cursor: pointer; color: var(--muted); font-size: 0.9em; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 0.88em; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
td.num { text-align: right; white-space: nowrap; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
blockquote.quote { margin: 10px 0; padding: 8px 14px; background: #f8f9fb;
                   border-left: 4px solid var(--finding, var(--accent)); }
blockquote.quote.suggestion { border-left-style: dashed; background: #fffaf0; }
blockquote.quote p { margin: 0 0 4px; }
blockquote.quote footer { font-size: 0.85em; color: var(--muted); }
.badge { display: inline-block; font-size: 0.8em; padding: 0 6px; border-radius: 8px;
         background: #e6f0e6; color: #245224; margin-left: 6px; }
.suggestion .badge { background: #fdebc8; color: #7a4b00; }
blockquote.quote.example { border-left: 4px dotted #999; background: #f6f6f6; }
.example .badge { background: #e4e4e4; color: #444; }
blockquote.quote.contested { border-left-style: double; border-left-width: 6px; background: #fdf3f2; }
.contested .badge { background: #f6d5d1; color: #8a1f11; }
.print-only { display: none; }
@media print {
  body { background: #fff; font-size: 11pt; }
  header, main { max-width: none; padding: 0; }
  section { border: 0; padding: 0; }
  nav.toc { display: none; }
  h2, h3, figcaption, caption { break-after: avoid; }
  figure, blockquote, tr, svg.chart { break-inside: avoid; }
  thead { display: table-header-group; }
  details { display: none; }
  .print-only { display: block; }
}
"""


def render_html(data: ReportData, sections: tuple[Section, ...]) -> str:
    colors = {f"finding-{f.code}": f.color for f in data.findings}
    toc = "\n".join(f'<li><a href="#{escape(s.anchor)}">{_text(s.title)}</a></li>' for s in sections)
    body = "\n".join(_section(s, colors.get(s.anchor)) for s in sections)
    m = data.methods
    meta = (
        f"Généré le {data.generated_at} · codebook « {m.codebook_name} » v{m.codebook_version} · "
        f"modèle final : {m.model or 'aucun'} · analystes : {', '.join(m.analysts) or 'aucun'}"
    )
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tzcld-qual">
<title>{escape(data.heading)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{_text(data.heading)}</h1>
<p class="meta">{_text(meta)}</p>
<nav class="toc" aria-label="Sommaire"><h2>Sommaire</h2><ol>
{toc}
</ol></nav>
</header>
<main>
{body}
</main>
</body>
</html>
"""


def _section(section: Section, color: str | None) -> str:
    style = f' style="--finding: {escape(color)}"' if color else ""
    blocks = "\n".join(_block(b) for b in section.blocks)
    return f'<section id="{escape(section.anchor)}"{style}>\n<h2>{_text(section.title)}</h2>\n{blocks}\n</section>'


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h3>{_text(block.text)}</h3>"
    if isinstance(block, Paragraph):
        cls = f' class="{block.kind}"' if block.kind else ""
        return f"<p{cls}>{_text(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, BarChart):
        figures = _table(block.table)  # folded on screen; printed open (a <details> prints closed)
        return (
            f'<figure class="chart-figure"><figcaption>{_text(block.title)}</figcaption>\n'
            f"{bar_chart_svg(block)}\n<details><summary>Chiffres</summary>{figures}</details>"
            f'<div class="print-only">{figures}</div></figure>'
        )
    return (
        f'<blockquote class="quote {block.kind}"><p>{_text(f"« {block.text} »")}'
        f"</p><footer><cite>{_text(block.citation)}"
        f'</cite><span class="badge">{BADGES[block.kind]}</span> {_text(block.note)}</footer></blockquote>'
    )


def _table(table: Table) -> str:
    caption = f"<caption>{_text(table.caption)}</caption>" if table.caption else ""
    head = "".join(f"<th>{_text(h)}</th>" for h in table.headers)
    rows = []
    for i, row in enumerate(table.rows):
        cells = []
        for j, cell in enumerate(row):
            shade = table.shades[i][j] if table.shades else 0.0
            style = f' style="background: rgba(76, 106, 146, {0.08 + 0.6 * shade:.2f})"' if shade else ""
            cls = ' class="num"' if j and _numeric(cell) else ""
            tag = "th" if j == 0 and table.shades is not None else "td"
            cells.append(f"<{tag}{cls}{style}>{_text(cell)}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _numeric(cell: str) -> bool:
    return bool(cell) and (cell[0].isdigit() or cell == "n/a" or cell[0] == "-")


def _text(text: str) -> str:
    """Escaped, with French no-break spaces so lines never start with « ; » or split « 11 | thèmes »."""
    return escape(french_spacing(text))
