"""Server-side SVG bar charts: escaped labels, one bar per value, no inline style."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from blueprints.svg_charts import LABEL_WIDTH, Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _bars(svg: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{SVG}rect") if e.get("class") == "chart-bar"]


def test_labels_and_names_are_escaped_and_the_markup_is_well_formed():
    evil = '<script>alert("x")</script> & «ученик»'
    svg = str(bar_chart("c1", 'Title <b>"x"</b>', [evil, "учитель – ученик"],
                        [Series("Pairs <i>", [3, 0]), Series("Groups", [1, 2], "#fd7e14")]))
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; «ученик»" in svg
    root = ET.fromstring(svg)  # parses: well-formed XML
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title"
    assert root.find(f"{SVG}title").text == 'Title <b>"x"</b>'
    assert not re.search(r"\sstyle\s*=", svg) and not re.search(r"\son[a-z]+\s*=", svg)


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
    assert len(_bars(str(bar_chart("c3", "t", ["a"], [Series("m", [7])])))) == 1


def test_all_zero_and_empty_charts_draw_without_dividing_by_zero():
    assert [b.get("width") for b in _bars(str(bar_chart("z", "t", ["a", "b"], [Series("m", [0, 0])])))] == ["0", "0"]
    assert _bars(str(bar_chart("e", "t", [], [Series("m", [])]))) == []


def test_long_labels_are_shortened_in_the_picture_but_whole_in_the_tooltip():
    label = "работодатель – студент, очень длинное название формы"
    root = ET.fromstring(str(bar_chart("l", "t", [label], [Series("m", [1])])))
    text = next(e for e in root.iter(f"{SVG}text") if e.get("class") == "chart-label")
    assert text.find(f"{SVG}title").text == label
    assert "".join(text.itertext()).endswith("…") and len(text.find(f"{SVG}title").tail) <= 30


@pytest.mark.parametrize("chart_id, fill", [("1bad", "#000"), ("x\" onload=\"y", "#000"), ("ok", "red;x"),
                                            ("ok", 'url("javascript:x")')])
def test_ids_and_colours_are_checked(chart_id, fill):
    with pytest.raises(ValueError):
        bar_chart(chart_id, "t", ["a"], [Series("m", [1], fill)])


def test_a_series_needs_a_value_per_label():
    with pytest.raises(ValueError):
        bar_chart("x", "t", ["a", "b"], [Series("m", [1])])
