"""Small server-side SVG charts that explain themselves: horizontal bars (one group per label,
one bar per series), shares against targets (``target_chart``) and trends over periods
(``line_chart``).

Every chart shows its title (wrapped, above the plot) and a legend naming each series; labels
are wrapped onto as many lines as they need, never cut; the axis of a share reads in % with
its ticks; a target is drawn as a line. For screen readers the ``<svg>`` is ``role="img"``,
named by its ``<title>`` and described by its ``<desc>`` (every figure in words), and each bar
or point has its own ``<title>`` with the exact figure. Figures are printed by core/numbers.py
in the reader's language («16,7 %»).

The page's CSP allows no inline ``style``, so everything is drawn with SVG presentation
attributes (``fill``, ``x``, ``width`` …). Every text is escaped.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from core.numbers import count, share

PALETTE = ("#0d6efd", "#20c997", "#fd7e14", "#6f42c1")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

LABEL_WIDTH = 210
VALUE_WIDTH = 50
BAR_HEIGHT = 16
GROUP_GAP = 10
LEGEND_HEIGHT = 22
LINE_HEIGHT = 15  # one line of 12 px text
TITLE_LINE_HEIGHT = 18  # one line of the 14 px title
CHAR_WIDTH = 7.6  # a generous mean width of a 12 px character (Cyrillic and Latin), for wrapping
TITLE_CHAR_WIDTH = 8.8
AXIS_HEIGHT = 34  # ticks and the unit under a horizontal axis

TARGET_COLOUR = "#dc3545"
GRID_COLOUR = "#dee2e6"
TEXT_COLOUR = "#212529"
MUTED_COLOUR = "#6c757d"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    fill: str = PALETTE[0]


@dataclass(frozen=True)
class LineSeries:
    name: str
    values: list[float | None]
    stroke: str = PALETTE[0]
    dashed: bool = False


# -- text -------------------------------------------------------------------------------------

def wrap(text: str, width: float, char_width: float = CHAR_WIDTH) -> list[str]:
    """``text`` in lines that fit ``width`` pixels, broken between words; a word longer than
    a line is split (nothing is left out, nothing is replaced by «…»)."""
    limit = max(4, int(width // char_width))
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        while len(word) > limit:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:limit])
            word = word[limit:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= limit:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def _lines(x: float, y: float, lines: list[str], *, anchor: str = "start", cls: str | None = None,
           fill: str = TEXT_COLOUR, weight: str | None = None, size: int | None = None,
           line_height: float = LINE_HEIGHT) -> str:
    """A ``<text>`` of one ``<tspan>`` per line, the first baseline at ``y``."""
    attributes = f'x="{x:g}" y="{y:g}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if cls:
        attributes += f' class="{cls}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    if size:
        attributes += f' font-size="{size}"'
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if i == 0 else line_height:g}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f"<text {attributes}>{spans}</text>"


def _with_unit(text: str, unit: str | None) -> str:
    return f"{text}{NBSP}{unit}" if unit else text


# -- the frame: title, description, legend ----------------------------------------------------

def _check_id(chart_id: str) -> None:
    if not _ID.match(chart_id):
        raise ValueError(f"bad chart id {chart_id!r}")


def _check_colour(colour: str) -> None:
    if not _COLOUR.match(colour):
        raise ValueError(f"bad colour {colour!r}")


def _title_block(title: str, width: int) -> tuple[list[str], float]:
    """The visible title, wrapped; returns the markup and the height it takes."""
    lines = wrap(title, width - 8, TITLE_CHAR_WIDTH)
    markup = _lines(4, 16, lines, cls="chart-title", weight="600", size=14, line_height=TITLE_LINE_HEIGHT)
    return [markup], 16 + TITLE_LINE_HEIGHT * (len(lines) - 1) + 10


@dataclass(frozen=True)
class _Key:
    name: str
    colour: str
    shape: str = "box"  # box | line | dashed


def _legend(keys: list[_Key], left: float, top: float, width: int) -> tuple[list[str], float]:
    """One entry per series, flowing onto more rows as needed (names wrapped, not cut)."""
    parts = ['<g class="chart-legend">']
    x, y, row_height = left, top, LINE_HEIGHT + 4
    for key in keys:
        lines = wrap(key.name, min(width - left - 28, 320))
        entry = 24 + CHAR_WIDTH * max(len(line) for line in lines) + 14
        if x > left and x + entry > width:
            x, y = left, y + row_height
            row_height = LINE_HEIGHT + 4
        middle = y + 6
        if key.shape == "box":
            parts.append(f'<rect x="{x:g}" y="{y:g}" width="12" height="12" fill="{key.colour}"></rect>')
        else:
            dash = ' stroke-dasharray="5 3"' if key.shape == "dashed" else ""
            parts.append(f'<line x1="{x:g}" y1="{middle:g}" x2="{x + 18:g}" y2="{middle:g}" stroke="{key.colour}" '
                         f'stroke-width="2.5"{dash}></line>')
        parts.append(_lines(x + 24, y + 10, lines, cls="chart-legend-label"))
        row_height = max(row_height, LINE_HEIGHT * len(lines) + 4)
        x += entry
    parts.append("</g>")
    return parts, y + row_height - top + 6


def _open_svg(chart_id: str, title: str, description: str, width: int, height: float) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart" role="img" '
            f'viewBox="0 0 {width} {height:g}" width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'font-family="system-ui, sans-serif" font-size="12">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>')


def _scale_top(values) -> float:
    """The top of a percentage axis: 100, or the largest value when a share exceeds 100 %."""
    peak = max((v for v in values if v is not None), default=0)
    return float(max(100, peak))


def _percent_axis(left: float, plot: float, top: float, y_top: float, y_bottom: float, unit: str,
                  fmt: Callable) -> list[str]:
    """Vertical grid lines at 0, 25, 50, 75 and 100 % of a horizontal axis, their ticks under
    the plot and the axis unit."""
    parts = []
    for k in range(5):
        level = top * k / 4
        x = round(left + plot * k / 4, 1)
        parts.append(f'<line class="chart-grid" x1="{x:g}" y1="{y_top:g}" x2="{x:g}" y2="{y_bottom:g}" '
                     f'stroke="{GRID_COLOUR}"></line>'
                     f'<text class="chart-tick" x="{x:g}" y="{y_bottom + 14:g}" text-anchor="middle" '
                     f'fill="{MUTED_COLOUR}">{escape(fmt(level))}</text>')
    parts.append(f'<text class="chart-unit" x="{left + plot:g}" y="{y_bottom + 29:g}" text-anchor="end" '
                 f'fill="{MUTED_COLOUR}">{escape(unit)}</text>')
    return parts


def _tick(value: float) -> str:
    return count(value)


# -- bars ---------------------------------------------------------------------------------------

def bar_chart(chart_id: str, title: str, labels: list[str], series: list[Series], *, width: int = 640,
              fmt: Callable = count, unit: str | None = None, label_width: int = LABEL_WIDTH) -> Markup:
    """A horizontal bar chart as inline SVG markup (safe to put in a template as is).
    ``unit`` (e.g. «pairs and groups») is written under the bars and after each figure."""
    _check_id(chart_id)
    for s in series:
        _check_colour(s.fill)
        if len(s.values) != len(labels):
            raise ValueError("every series needs one value per label")
    plot = width - label_width - VALUE_WIDTH
    peak = max((v for s in series for v in s.values), default=0) or 1
    parts, y = _title_block(title, width)
    legend, legend_height = _legend([_Key(s.name, s.fill) for s in series], label_width, y, width)
    parts += legend
    y += legend_height
    block = BAR_HEIGHT * len(series)
    for i, label in enumerate(labels):
        lines = wrap(label, label_width - 12)
        row = max(block, LINE_HEIGHT * len(lines))
        first = y + (row - LINE_HEIGHT * len(lines)) / 2 + 11
        parts.append(_lines(label_width - 8, first, lines, anchor="end", cls="chart-label"))
        bars_top = y + (row - block) / 2
        for j, s in enumerate(series):
            value = s.values[i]
            bar = round(plot * value / peak, 1)
            top = bars_top + j * BAR_HEIGHT
            figure = _with_unit(fmt(value), unit)
            parts.append(
                f'<rect class="chart-bar" x="{label_width}" y="{top:g}" width="{bar:g}" height="{BAR_HEIGHT - 2}" '
                f'fill="{s.fill}"><title>{escape(label)} — {escape(s.name)}: {escape(figure)}</title></rect>'
                f'<text class="chart-value" x="{label_width + bar + 4:g}" y="{top + BAR_HEIGHT - 4:g}" '
                f'fill="{TEXT_COLOUR}">{escape(fmt(value))}</text>'
            )
        y += row + GROUP_GAP
    if unit:
        parts.append(f'<text class="chart-unit" x="{label_width + plot:g}" y="{y + 8:g}" text-anchor="end" '
                     f'fill="{MUTED_COLOUR}">{escape(unit)}</text>')
        y += 14
    description = "; ".join(
        f"{label}: " + ", ".join(f"{s.name} {_with_unit(fmt(s.values[i]), unit)}" for s in series)
        for i, label in enumerate(labels))
    return Markup(_open_svg(chart_id, title, description, width, y + 4) + "".join(parts) + "</svg>")


# -- indicators against targets, and trends ------------------------------------------------

def target_chart(chart_id: str, title: str, labels: list[str], values: list[float | None],
                 targets: list[float | None], *, value_name: str = "Value", target_name: str = "Target",
                 fmt: Callable = share, unit: str = "%", fill: str = PALETTE[0], width: int = 640,
                 label_width: int = LABEL_WIDTH) -> Markup:
    """Horizontal bars of shares in % (one per label) with each label's target as a red line
    across its bar, on an axis of 0 – 100 % with its ticks.

    The axis runs to 100 % — further when a share exceeds 100 % (a data-quality problem shown
    as counted, not capped). A missing value draws no bar; a missing target no line."""
    _check_id(chart_id)
    _check_colour(fill)
    if not (len(values) == len(targets) == len(labels)):
        raise ValueError("every label needs a value and a target (None for none)")
    top = _scale_top(list(values) + list(targets))
    plot = width - label_width - VALUE_WIDTH
    parts, y = _title_block(title, width)
    legend, legend_height = _legend([_Key(value_name, fill), _Key(target_name, TARGET_COLOUR, "dashed")],
                                    label_width, y, width)
    parts += legend
    y += legend_height
    plot_top = y
    rows = []
    for i, label in enumerate(labels):
        lines = wrap(label, label_width - 12)
        row = max(BAR_HEIGHT + 6, LINE_HEIGHT * len(lines))
        first = y + (row - LINE_HEIGHT * len(lines)) / 2 + 11
        rows.append(_lines(label_width - 8, first, lines, anchor="end", cls="chart-label"))
        bar_top = y + (row - BAR_HEIGHT) / 2
        value, target = values[i], targets[i]
        x = round(label_width + plot * target / top, 1) if target is not None else None
        if value is not None:
            bar = round(plot * value / top, 1)
            after = max(label_width + bar, x + 2 if x is not None else 0)  # the figure clears the target's line
            rows.append(
                f'<rect class="chart-bar" x="{label_width}" y="{bar_top:g}" width="{bar:g}" height="{BAR_HEIGHT - 2}" '
                f'fill="{fill}"><title>{escape(label)} — {escape(value_name)}: '
                f'{escape(_with_unit(fmt(value), unit))}</title></rect>'
                f'<text class="chart-value" x="{after + 4:g}" y="{bar_top + BAR_HEIGHT - 4:g}" '
                f'fill="{TEXT_COLOUR}">{escape(fmt(value))}</text>'
            )
        if x is not None:
            rows.append(
                f'<line class="chart-target" x1="{x:g}" y1="{bar_top - 4:g}" x2="{x:g}" y2="{bar_top + BAR_HEIGHT + 2:g}" '
                f'stroke="{TARGET_COLOUR}" stroke-width="2.5" stroke-dasharray="4 2"><title>{escape(label)} — '
                f'{escape(target_name)}: {escape(_with_unit(fmt(target), unit))}</title></line>'
            )
        y += row + GROUP_GAP
    parts += _percent_axis(label_width, plot, top, plot_top - 4, y - GROUP_GAP / 2, unit, _tick)
    parts += rows  # bars over the grid
    y += AXIS_HEIGHT
    description = "; ".join(
        f"{label}: {value_name} {_with_unit(fmt(values[i]), unit) if values[i] is not None else '—'}"
        + (f", {target_name} {_with_unit(fmt(targets[i]), unit)}" if targets[i] is not None else "")
        for i, label in enumerate(labels))
    return Markup(_open_svg(chart_id, title, description, width, y) + "".join(parts) + "</svg>")


def line_chart(chart_id: str, title: str, x_labels: list[str], series: list[LineSeries], *,
               fmt: Callable = share, unit: str = "%", width: int = 480, height: int = 200) -> Markup:
    """A line per series over the x labels (periods), on a 0 – 100 % axis (further when a
    value exceeds 100 %). A missing value breaks the line; each point has its ``<title>``.
    ``height`` is the plot's; the title and the legend add theirs above it."""
    _check_id(chart_id)
    for s in series:
        _check_colour(s.stroke)
        if len(s.values) != len(x_labels):
            raise ValueError("every series needs one value per x label")
    left, right, bottom = 48, 16, 28
    parts, y = _title_block(title, width)
    legend, legend_height = _legend([_Key(s.name, s.stroke, "dashed" if s.dashed else "line") for s in series],
                                    left, y, width)
    parts += legend
    top_pad = y + legend_height + 14  # room for the unit above the axis
    plot_w, plot_h = width - left - right, max(80, height - LEGEND_HEIGHT - 8 - bottom)
    total = top_pad + plot_h + bottom
    top = _scale_top([v for s in series for v in s.values])
    parts.append(f'<text class="chart-unit" x="{left - 6}" y="{top_pad - 8:g}" text-anchor="end" '
                 f'fill="{MUTED_COLOUR}">{escape(unit)}</text>')
    for k in range(5):  # grid lines at 0, 25, 50, 75 and 100 % of the axis
        level = top * k / 4
        y = round(top_pad + plot_h - plot_h * k / 4, 1)
        parts.append(f'<line class="chart-grid" x1="{left}" y1="{y:g}" x2="{left + plot_w}" y2="{y:g}" '
                     f'stroke="{GRID_COLOUR}"></line>'
                     f'<text class="chart-tick" x="{left - 6}" y="{y + 4:g}" text-anchor="end" '
                     f'fill="{MUTED_COLOUR}">{escape(_tick(level))}</text>')
    n = len(x_labels)

    def px(i: int) -> float:
        return round(left + (plot_w * (i + 0.5) / n), 1)

    def py(v: float) -> float:
        return round(top_pad + plot_h - plot_h * v / top, 1)

    for i, label in enumerate(x_labels):
        parts.append(f'<text class="chart-x" x="{px(i):g}" y="{total - 8:g}" text-anchor="middle" '
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
                             f'{escape(_with_unit(fmt(value), unit))}</title></circle>')
    description = "; ".join(
        f"{s.name}: " + ", ".join(f"{x_labels[i]} {_with_unit(fmt(v), unit) if v is not None else '—'}"
                                  for i, v in enumerate(s.values))
        for s in series)
    return Markup(_open_svg(chart_id, title, description, width, total) + "".join(parts) + "</svg>")
