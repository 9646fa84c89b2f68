"""Small server-side SVG charts: horizontal bars, one group per label, one bar per series.

The page's CSP allows no inline ``style``, so everything is drawn with SVG presentation
attributes (``fill``, ``x``, ``width`` …). Every label is escaped; the chart has a ``<title>``
(its accessible name) and each bar its own ``<title>`` with the exact figure. The table beside
the chart carries the same numbers for screen readers and for copying.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0d6efd", "#20c997", "#fd7e14", "#6f42c1")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

LABEL_WIDTH = 210
VALUE_WIDTH = 50
BAR_HEIGHT = 16
GROUP_GAP = 10
LEGEND_HEIGHT = 22
MAX_LABEL = 30


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    fill: str = PALETTE[0]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(chart_id: str, title: str, labels: list[str], series: list[Series], *, width: int = 640) -> Markup:
    """A horizontal bar chart as inline SVG markup (safe to put in a template as is)."""
    if not _ID.match(chart_id):
        raise ValueError(f"bad chart id {chart_id!r}")
    for s in series:
        if not _COLOUR.match(s.fill):
            raise ValueError(f"bad colour {s.fill!r}")
        if len(s.values) != len(labels):
            raise ValueError("every series needs one value per label")
    top = LEGEND_HEIGHT if len(series) > 1 else 0
    group = BAR_HEIGHT * len(series) + GROUP_GAP
    height = top + group * len(labels) + GROUP_GAP
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    peak = max((v for s in series for v in s.values), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{chart_id}-title" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    if len(series) > 1:
        x = LABEL_WIDTH
        for s in series:
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{s.fill}"></rect>'
                         f'<text x="{x + 16}" y="14" fill="#212529">{escape(s.name)}</text>')
            x += 24 + 8 * len(s.name)
    for i, label in enumerate(labels):
        y0 = top + GROUP_GAP + i * group
        middle = y0 + BAR_HEIGHT * len(series) / 2 + 4
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{middle:g}" text-anchor="end" '
                     f'fill="#212529"><title>{escape(label)}</title>{escape(_short(label))}</text>')
        for j, s in enumerate(series):
            value = s.values[i]
            bar = round(plot * value / peak, 1)
            y = y0 + j * BAR_HEIGHT
            parts.append(
                f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{bar:g}" height="{BAR_HEIGHT - 2}" '
                f'fill="{s.fill}"><title>{escape(label)} — {escape(s.name)}: {value}</title></rect>'
                f'<text x="{LABEL_WIDTH + bar + 4:g}" y="{y + BAR_HEIGHT - 4}" fill="#212529">{value}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
