"""Server-side SVG charts that explain themselves: a visible title, a legend, labels wrapped
and never cut, axes in %, the target drawn as a line, a description for screen readers;
escaped labels, one bar per value, no inline style."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from blueprints.svg_charts import LABEL_WIDTH, LineSeries, Series, bar_chart, line_chart, target_chart, wrap

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Доля детей в возрасте от 10 до 19 лет, вовлечённых в различные формы наставничества"


def _root(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def _by_class(svg, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in _root(svg).iter(f"{SVG}{tag}") if e.get("class") == cls]


def _texts(svg, cls: str) -> list[str]:
    return [" ".join(" ".join(e.itertext()).split()) for e in _by_class(svg, "text", cls)]


def _bars(svg) -> list[ET.Element]:
    return _by_class(svg, "rect", "chart-bar")


def test_labels_and_names_are_escaped_and_the_markup_is_well_formed():
    evil = '<script>alert("x")</script> & «ученик»'
    svg = str(bar_chart("c1", 'Title <b>"x"</b>', [evil, "учитель – ученик"],
                        [Series("Pairs <i>", [3, 0]), Series("Groups", [1, 2], "#fd7e14")]))
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; «ученик»" in svg
    root = _root(svg)  # parses: well-formed XML
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == 'Title <b>"x"</b>'
    assert not re.search(r"\sstyle\s*=", svg) and not re.search(r"\son[a-z]+\s*=", svg)


@pytest.mark.parametrize("make", [
    lambda title: bar_chart("b", title, ["a"], [Series("m", [1])]),
    lambda title: target_chart("t", title, ["a"], [10.0], [20.0]),
    lambda title: line_chart("l", title, ["06.26", "12.26"], [LineSeries("Школа", [10.0, 20.0])]),
])
def test_every_chart_shows_its_title_and_is_described_for_screen_readers(make):
    svg = make(f"Динамика: {LONG}")
    assert _texts(svg, "chart-title") == [f"Динамика: {LONG}"]  # visible, wrapped onto lines, whole
    root = _root(svg)
    labelled_by = root.get("aria-labelledby").split()
    ids = {e.get("id"): e for e in root if e.get("id")}
    assert [ids[i].tag for i in labelled_by] == [f"{SVG}title", f"{SVG}desc"]
    assert ids[labelled_by[1]].text  # the figures in words


def test_one_bar_per_label_and_series_scaled_to_the_largest():
    svg = str(bar_chart("c2", "t", ["a", "b", "c"], [Series("m", [4, 2, 0]), Series("n", [1, 1, 1], "#20c997")],
                        width=640))
    bars = _bars(svg)
    assert len(bars) == 6
    widths = [float(b.get("width")) for b in bars]
    plot = 640 - LABEL_WIDTH - 50
    assert widths[0] == plot and widths[2] == plot / 2 and widths[4] == 0
    assert [b.get("fill") for b in bars[:2]] == ["#0d6efd", "#20c997"]
    assert bars[0].find(f"{SVG}title").text == "a — m: 4"
    assert _texts(svg, "chart-legend-label") == ["m", "n"]
    assert len(_bars(str(bar_chart("c3", "t", ["a"], [Series("m", [7])])))) == 1


def test_all_zero_and_empty_charts_draw_without_dividing_by_zero():
    assert [b.get("width") for b in _bars(str(bar_chart("z", "t", ["a", "b"], [Series("m", [0, 0])])))] == ["0", "0"]
    assert _bars(str(bar_chart("e", "t", [], [Series("m", [])]))) == []


def test_long_labels_are_wrapped_whole_never_cut():
    label = "работодатель – студент, очень длинное название формы наставничества в регионе"
    svg = bar_chart("l", "t", [label, "короткая"], [Series("m", [1, 2])])
    assert "…" not in str(svg)
    labels = _by_class(svg, "text", "chart-label")
    lines = [t.text for t in labels[0].iter(f"{SVG}tspan")]
    assert len(lines) > 1 and " ".join(lines) == label
    assert all(len(line) * 7.6 <= LABEL_WIDTH - 12 for line in lines)  # each line fits the label column
    first, second = (float(t.get("y")) for t in labels)
    assert second - first >= 15 * len(lines)  # the row grew to hold the lines


def test_wrap_breaks_between_words_and_splits_only_a_word_too_long():
    assert wrap("один два три", 76) == ["один два", "три"]
    assert "".join(wrap("а" * 30, 76)) == "а" * 30 and max(len(x) for x in wrap("а" * 30, 76)) == 10
    assert wrap("", 76) == [""]


def test_target_chart_draws_targets_as_lines_on_a_percent_axis():
    svg = target_chart("t1", "Indicators <x>", [LONG, "b", "c"], [50.0, None, 20.0], [25.0, 30.0, None], width=640)
    plot = 640 - LABEL_WIDTH - 50
    assert [float(b.get("width")) for b in _bars(svg)] == [plot / 2, plot / 5]
    targets = _by_class(svg, "line", "chart-target")
    assert [float(t.get("x1")) for t in targets] == [LABEL_WIDTH + plot / 4, LABEL_WIDTH + plot * 0.3]
    assert all(t.get("x1") == t.get("x2") and float(t.get("y2")) > float(t.get("y1")) for t in targets)
    assert _texts(svg, "chart-tick") == ["0", "25", "50", "75", "100"] and _texts(svg, "chart-unit") == ["%"]
    assert _texts(svg, "chart-legend-label") == ["Value", "Target"]
    assert "…" not in str(svg) and "&lt;x&gt;" in str(svg) and not re.search(r"\sstyle\s*=", str(svg))
    wide = target_chart("t2", "t", ["a", "b"], [200.0, 50.0], [100.0, None])
    assert [float(b.get("width")) for b in _bars(wide)] == [plot, plot / 4]  # the axis runs to 200 %
    assert _texts(wide, "chart-tick")[-1] == "200"
    with pytest.raises(ValueError):
        target_chart("t3", "t", ["a"], [1.0], [])
    with pytest.raises(ValueError):
        target_chart("bad id", "t", ["a"], [1.0], [None])


def test_figures_are_printed_in_the_readers_language(ctx):
    svg = target_chart("t4", "t", ["a"], [16.666], [20.0])  # outside a request: Russian, the default
    assert _bars(svg)[0].find(f"{SVG}title").text == "a — Value: 16,7\u00a0%"
    assert "Value 16,7\u00a0%, Target 20,0\u00a0%" in _root(svg).find(f"{SVG}desc").text
    assert _texts(svg, "chart-value") == ["16,7"]


def test_line_chart_points_gaps_dashed_targets_and_its_unit(ctx):
    svg = line_chart("l1", "Trend", ["06.26", "12.26", "06.27"],
                     [LineSeries("Value", [10.0, None, 40.0]), LineSeries("Target", [30.0, 30.0, 35.0], "#dc3545",
                                                                         dashed=True)])
    points = _by_class(svg, "circle", "chart-point")
    assert len(points) == 5 and points[0].find(f"{SVG}title").text == "06.26 — Value: 10,0\u00a0%"
    lines = _by_class(svg, "polyline", "chart-line")
    assert len(lines) == 1 and lines[0].get("stroke-dasharray") == "5 3"  # the gap breaks the value's line
    legend = [e for e in _root(svg).iter(f"{SVG}line") if e.get("stroke-dasharray") == "5 3"]
    assert len(legend) == 1  # the target's key in the legend is dashed too
    assert _texts(svg, "chart-unit") == ["%"] and _texts(svg, "chart-tick")[-1] == "100"
    assert len(_by_class(line_chart("l2", "t", ["a", "b"], [LineSeries("v", [1.0, 2.0])]), "polyline",
                         "chart-line")) == 1
    with pytest.raises(ValueError):
        line_chart("l3", "t", ["a"], [LineSeries("v", [1.0], "red")])
    with pytest.raises(ValueError):
        line_chart("l4", "t", ["a", "b"], [LineSeries("v", [1.0])])


@pytest.mark.parametrize("chart_id, fill", [("1bad", "#000"), ("x\" onload=\"y", "#000"), ("ok", "red;x"),
                                            ("ok", 'url("javascript:x")')])
def test_ids_and_colours_are_checked(chart_id, fill):
    with pytest.raises(ValueError):
        bar_chart(chart_id, "t", ["a"], [Series("m", [1], fill)])


def test_a_series_needs_a_value_per_label():
    with pytest.raises(ValueError):
        bar_chart("x", "t", ["a", "b"], [Series("m", [1])])
