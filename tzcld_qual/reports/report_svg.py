"""Horizontal bar charts as inline SVG, drawn by hand so the report opens offline with no library.

Each bar shows two shares on one track: the validated share (solid) and, behind it, the share
including the model's pending suggestions (light), on a scale rounded up to a readable maximum.
"""

from __future__ import annotations

from html import escape

from tzcld_qual.reports.report_blocks import LEGEND, BarChart

LABEL_W, BAR_W, TEXT_W = 250, 300, 230
ROW_H, TOP, BOTTOM = 24, 40, 12
SCALES = (0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0)
# gridlines per scale, so each tick is a round share (25 % in quarters read « 6,25 % », « 18,75 % »)
INTERVALS = {0.05: 5, 0.1: 5, 0.2: 4, 0.25: 5, 0.5: 5, 0.75: 3, 1.0: 4}
MAX_LABEL = 32
CHAR_W = 7.0  # a generous average width of a 12 px sans-serif character


def scale_max(values: list[float]) -> float:
    """The smallest readable axis maximum that holds every value."""
    peak = max(values, default=0.0)
    return next((s for s in SCALES if peak <= s), 1.0)


def bar_chart_svg(chart: BarChart) -> str:
    # the figures' column fits its longest text ("14,2 % · 17,6 % avec sugg. (122/862)" was cut)
    text_w = max([TEXT_W, *(int(CHAR_W * len(b.text)) + 16 for b in chart.bars)])
    width = LABEL_W + BAR_W + text_w
    height = TOP + ROW_H * len(chart.bars) + BOTTOM
    top = scale_max([b.extra for b in chart.bars])
    color = escape(chart.color)
    title_id = f"{chart.anchor}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart.anchor)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(title_id)}" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>',
        f'<rect x="{LABEL_W}" y="6" width="12" height="12" fill="{color}"/>',
        f'<text x="{LABEL_W + 18}" y="16" fill="#333">{escape(LEGEND[0])}</text>',
        f'<rect x="{LABEL_W}" y="22" width="12" height="12" fill="{color}" fill-opacity="0.3"/>',
        f'<text x="{LABEL_W + 18}" y="32" fill="#333">{escape(LEGEND[1])}</text>',
    ]
    bottom = TOP + ROW_H * len(chart.bars)
    intervals = INTERVALS.get(top, 4)
    for i in range(intervals + 1):
        x = LABEL_W + BAR_W * i / intervals
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 2}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
        label = f"{round(100 * top * i / intervals, 6):g}".replace(".", ",") + "\u00a0%"
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 11}" fill="#777" font-size="10" text-anchor="middle">{label}</text>'
        )
    for i, bar in enumerate(chart.bars):
        y = TOP + i * ROW_H
        fill = escape(bar.color or chart.color)
        short = bar.label if len(bar.label) <= MAX_LABEL else bar.label[: MAX_LABEL - 1] + "…"
        parts.append(f'<g class="bar"><title>{escape(bar.label)} : {escape(bar.text)}</title>')
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 16}" text-anchor="end" fill="#222">{escape(short)}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="{ROW_H - 8}" fill="#f2f2f2"/>')
        parts.append(
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W * bar.extra / top:.1f}" '
            f'height="{ROW_H - 8}" fill="{fill}" fill-opacity="0.3"/>'
        )
        parts.append(
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W * bar.value / top:.1f}" '
            f'height="{ROW_H - 8}" fill="{fill}"/>'
        )
        parts.append(f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 16}" fill="#333">{escape(bar.text)}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)
