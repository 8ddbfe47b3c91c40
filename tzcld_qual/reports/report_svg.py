"""Horizontal bar charts as inline SVG, drawn by hand so the report opens offline with no library.

Each bar shows two shares on one track: the validated share (solid) and, behind it, the share
including the model's pending suggestions (light), on a scale rounded up to a readable maximum.
Each row gives its whole label on a line of its own above the bar (wrapped, never cut: an audit read
« personne privée durablement d'e… »), so the chart stays narrow enough to show at its real size,
12 px text, in a 600 px column.
"""

from __future__ import annotations

import textwrap
from html import escape

from tzcld_qual.reports.report_blocks import LEGEND, BarChart

BAR_W, MIN_W = 250, 560
LINE_H, BAR_H, GAP = 16, 14, 8
TOP, BOTTOM = 44, 16
SCALES = (0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0)
# gridlines per scale, so each tick is a round share (25 % in quarters read « 6,25 % », « 18,75 % »)
INTERVALS = {0.05: 5, 0.1: 5, 0.2: 4, 0.25: 5, 0.5: 5, 0.75: 3, 1.0: 4}
CHAR_W = 7.0  # a generous average width of a 12 px sans-serif character
MAX_SWATCHES = 8


def scale_max(values: list[float]) -> float:
    """The smallest readable axis maximum that holds every value."""
    peak = max(values, default=0.0)
    return next((s for s in SCALES if peak <= s), 1.0)


def bar_chart_svg(chart: BarChart) -> str:
    # the figures' column fits its longest text ("14,2 % · 17,6 % avec sugg. (122/862)" was cut)
    width = max([MIN_W, *(BAR_W + 8 + int(CHAR_W * len(b.text)) + 8 for b in chart.bars)])
    labels = [textwrap.wrap(b.label, int(width / CHAR_W)) or [""] for b in chart.bars]
    heights = [LINE_H * len(lines) + BAR_H + GAP for lines in labels]
    bottom = TOP + sum(heights)
    height = bottom + BOTTOM
    top = scale_max([b.extra for b in chart.bars])
    title_id = f"{chart.anchor}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart.anchor)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(title_id)}" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>',
        *_legend(chart),
    ]
    intervals = INTERVALS.get(top, 4)
    for i in range(intervals + 1):
        x = BAR_W * i / intervals
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 2}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
        label = f"{round(100 * top * i / intervals, 6):g}".replace(".", ",") + "\u00a0%"
        anchor = "start" if i == 0 else "end" if i == intervals else "middle"
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 12}" fill="#666" font-size="10" text-anchor="{anchor}">{label}</text>'
        )
    y = TOP
    for bar, lines, row_h in zip(chart.bars, labels, heights, strict=True):
        fill = escape(bar.color or chart.color)
        parts.append(f'<g class="bar"><title>{escape(bar.label)} : {escape(bar.text)}</title>')
        for n, line in enumerate(lines):
            parts.append(f'<text x="0" y="{y + LINE_H * (n + 1) - 4}" fill="#222">{escape(line)}</text>')
        bar_y = y + LINE_H * len(lines)
        parts.append(f'<rect x="0" y="{bar_y}" width="{BAR_W}" height="{BAR_H}" fill="#f2f2f2"/>')
        parts.append(
            f'<rect x="0" y="{bar_y}" width="{BAR_W * bar.extra / top:.1f}" '
            f'height="{BAR_H}" fill="{fill}" fill-opacity="0.3"/>'
        )
        parts.append(f'<rect x="0" y="{bar_y}" width="{BAR_W * bar.value / top:.1f}" height="{BAR_H}" fill="{fill}"/>')
        parts.append(f'<text x="{BAR_W + 8}" y="{bar_y + BAR_H - 3}" fill="#333">{escape(bar.text)}</text></g>')
        y += row_h
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(chart: BarChart) -> list[str]:
    """Solid and light swatches in the bars' own colours (one small square each when the bars differ:
    grey swatches over coloured bars read as a third kind of bar)."""
    colors = list(dict.fromkeys(b.color or chart.color for b in chart.bars))[:MAX_SWATCHES] or [chart.color]
    size = 12 if len(colors) == 1 else 6
    parts = []
    for row, (opacity, text) in enumerate(((1.0, LEGEND[0]), (0.3, LEGEND[1]))):
        y = 6 + 16 * row
        for i, color in enumerate(colors):
            parts.append(
                f'<rect x="{i * size}" y="{y}" width="{size}" height="12" fill="{escape(color)}"'
                + (f' fill-opacity="{opacity}"' if opacity < 1 else "")
                + "/>"
            )
        parts.append(f'<text x="{len(colors) * size + 6}" y="{y + 10}" fill="#333">{escape(text)}</text>')
    return parts
