"""Small server-side SVG charts: horizontal bars (one group per label, one bar per series),
shares against targets (``target_chart``) and trends over periods (``line_chart``).

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


# -- indicators against targets, and trends ------------------------------------------------

TARGET_COLOUR = "#dc3545"
GRID_COLOUR = "#dee2e6"
TEXT_COLOUR = "#212529"


def _plain(value: float) -> str:
    return f"{value:g}"


def _scale_top(values) -> float:
    """The top of a percentage axis: 100, or the largest value when a share exceeds 100 %."""
    peak = max((v for v in values if v is not None), default=0)
    return float(max(100, peak))


def _open_svg(chart_id: str, title: str, width: int, height: int) -> list[str]:
    if not _ID.match(chart_id):
        raise ValueError(f"bad chart id {chart_id!r}")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{chart_id}-title" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]


def target_chart(chart_id: str, title: str, labels: list[str], values: list[float | None],
                 targets: list[float | None], *, value_name: str = "Value", target_name: str = "Target",
                 fmt=_plain, fill: str = PALETTE[0], width: int = 640) -> Markup:
    """Horizontal bars of shares in % (one per label) with each label's target as a red tick.

    The axis runs to 100 % — further when a share exceeds 100 % (a data-quality problem shown
    as counted, not capped). A missing value draws no bar; a missing target no tick."""
    if not _COLOUR.match(fill):
        raise ValueError(f"bad colour {fill!r}")
    if not (len(values) == len(targets) == len(labels)):
        raise ValueError("every label needs a value and a target (None for none)")
    top = _scale_top(list(values) + list(targets))
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    row = BAR_HEIGHT + GROUP_GAP
    height = LEGEND_HEIGHT + GROUP_GAP + row * len(labels)
    parts = _open_svg(chart_id, title, width, height)
    parts.append(f'<rect x="{LABEL_WIDTH}" y="4" width="12" height="12" fill="{fill}"></rect>'
                 f'<text x="{LABEL_WIDTH + 16}" y="14" fill="{TEXT_COLOUR}">{escape(value_name)}</text>')
    legend_x = LABEL_WIDTH + 40 + 8 * len(value_name)
    parts.append(f'<rect x="{legend_x}" y="2" width="3" height="16" fill="{TARGET_COLOUR}"></rect>'
                 f'<text x="{legend_x + 8}" y="14" fill="{TEXT_COLOUR}">{escape(target_name)}</text>')
    for i, label in enumerate(labels):
        y = LEGEND_HEIGHT + GROUP_GAP + i * row
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 4}" text-anchor="end" '
                     f'fill="{TEXT_COLOUR}"><title>{escape(label)}</title>{escape(_short(label))}</text>')
        value, target = values[i], targets[i]
        if value is not None:
            bar = round(plot * value / top, 1)
            parts.append(
                f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{bar:g}" height="{BAR_HEIGHT - 2}" '
                f'fill="{fill}"><title>{escape(label)} — {escape(value_name)}: {escape(fmt(value))} %</title></rect>'
                f'<text x="{LABEL_WIDTH + bar + 4:g}" y="{y + BAR_HEIGHT - 4}" fill="{TEXT_COLOUR}">'
                f'{escape(fmt(value))}</text>'
            )
        if target is not None:
            x = round(LABEL_WIDTH + plot * target / top, 1)
            parts.append(
                f'<rect class="chart-target" x="{x - 1:g}" y="{y - 3}" width="3" height="{BAR_HEIGHT + 4}" '
                f'fill="{TARGET_COLOUR}"><title>{escape(label)} — {escape(target_name)}: '
                f'{escape(fmt(target))} %</title></rect>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class LineSeries:
    name: str
    values: list[float | None]
    stroke: str = PALETTE[0]
    dashed: bool = False


def line_chart(chart_id: str, title: str, x_labels: list[str], series: list[LineSeries], *, fmt=_plain,
               width: int = 480, height: int = 200) -> Markup:
    """A line per series over the x labels (periods), on a 0 – 100 % axis (further when a
    value exceeds 100 %). A missing value breaks the line; each point has its ``<title>``."""
    for s in series:
        if not _COLOUR.match(s.stroke):
            raise ValueError(f"bad colour {s.stroke!r}")
        if len(s.values) != len(x_labels):
            raise ValueError("every series needs one value per x label")
    left, right, top_pad, bottom = 44, 16, LEGEND_HEIGHT + 8, 28
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _scale_top([v for s in series for v in s.values])
    parts = _open_svg(chart_id, title, width, height)
    x = left
    for s in series:
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        parts.append(f'<line x1="{x}" y1="10" x2="{x + 16}" y2="10" stroke="{s.stroke}" stroke-width="2"{dash}></line>'
                     f'<text x="{x + 20}" y="14" fill="{TEXT_COLOUR}">{escape(s.name)}</text>')
        x += 36 + 7 * len(s.name)
    for k in range(5):  # grid lines at 0, 25, 50, 75 and 100 % of the axis
        level = top * k / 4
        y = round(top_pad + plot_h - plot_h * k / 4, 1)
        parts.append(f'<line x1="{left}" y1="{y:g}" x2="{left + plot_w}" y2="{y:g}" stroke="{GRID_COLOUR}"></line>'
                     f'<text x="{left - 4}" y="{y + 4:g}" text-anchor="end" fill="#6c757d">{escape(fmt(level))}</text>')
    count = len(x_labels)

    def px(i: int) -> float:
        return round(left + (plot_w * (i + 0.5) / count), 1)

    def py(v: float) -> float:
        return round(top_pad + plot_h - plot_h * v / top, 1)

    for i, label in enumerate(x_labels):
        parts.append(f'<text class="chart-x" x="{px(i):g}" y="{height - 8}" text-anchor="middle" '
                     f'fill="{TEXT_COLOUR}">{escape(label)}</text>')
    for s in series:
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        segment: list[str] = []
        segments = [segment]
        for i, value in enumerate(s.values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{px(i):g},{py(value):g}")
        for points in segments:
            if len(points) > 1:
                parts.append(f'<polyline class="chart-line" points="{" ".join(points)}" fill="none" '
                             f'stroke="{s.stroke}" stroke-width="2"{dash}></polyline>')
        for i, value in enumerate(s.values):
            if value is not None:
                parts.append(f'<circle class="chart-point" cx="{px(i):g}" cy="{py(value):g}" r="3.5" '
                             f'fill="{s.stroke}"><title>{escape(x_labels[i])} — {escape(s.name)}: '
                             f'{escape(fmt(value))}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
