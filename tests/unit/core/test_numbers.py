"""One way to print a figure (core/numbers.py): a fixed number of decimals per kind, the
locale's separators, half away from zero, a dash for nothing; the same functions as Jinja
filters."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale

from core import numbers
from core.numbers import count, decimal, file_size, hours, percent, points, ratio, score, share

NBSP = "\u00a0"


@pytest.mark.parametrize("function, value, russian, english", [
    (share, 16.666, "16,7", "16.7"),
    (share, 100, "100,0", "100.0"),
    (share, 2.25, "2,3", "2.3"),  # half away from zero, not to even
    (share, Decimal("55.50"), "55,5", "55.5"),
    (percent, 16.666, f"16,7{NBSP}%", "16.7%"),
    (percent, 0, f"0,0{NBSP}%", "0.0%"),
    (points, -5, "−5,0", "−5.0"),
    (points, 2.46, "+2,5", "+2.5"),
    (points, -0.04, "0,0", "0.0"),
    (ratio, 0.494, "0,49", "0.49"),
    (ratio, 7.2, "7,20", "7.20"),
    (score, 12.25, "12,3", "12.3"),
    (count, 1234567, f"1{NBSP}234{NBSP}567", "1,234,567"),
    (count, 0, "0", "0"),
    (hours, 36, "36", "36"),
    (hours, 1.5, "1,5", "1.5"),
])
def test_each_kind_has_its_decimals_and_the_locales_separators(function, value, russian, english):
    assert function(value, locale="ru") == russian
    assert function(value, locale="en") == english


@pytest.mark.parametrize("function", [share, percent, points, ratio, score, count, hours, file_size])
def test_nothing_prints_as_a_dash(function):
    assert function(None, locale="ru") == "—"
    assert function(float("nan"), locale="ru") == "—"


def test_decimal_with_any_places_and_a_trimmed_fraction():
    assert decimal(3.14159, 3, locale="ru") == "3,142"
    assert decimal(3.0, 2, locale="ru", trim=True) == "3"
    assert decimal(1234.5, 1, locale="en") == "1,234.5"


def test_percent_with_fewer_places_for_whole_percentages():
    assert percent(45, locale="ru", places=0) == f"45{NBSP}%"
    assert percent(45, locale="en", places=0) == "45%"


def test_the_locale_is_flask_babels_and_russian_outside_an_application(ctx):
    assert share(16.666) == "16,7"  # the app's default locale outside a request: Russian
    with force_locale("en"):
        assert share(16.666) == "16.7" and file_size(12_600) == "12.3 KB"
    with ctx.test_request_context():
        assert share(0.5) == "0,5"


def test_outside_an_application_the_default_is_russian():
    assert share(0.5) == "0,5" and count(1000) == f"1{NBSP}000"


def test_the_xlsx_formats_have_the_same_decimals():
    assert numbers.XLSX_SHARE == "0.0" and numbers.XLSX_RATIO == "0.00" and numbers.XLSX_COUNT == "#,##0"


def test_the_filters_are_registered_for_templates(ctx):
    template = ("{{ 16.666|share }} {{ 16.666|percent }} {{ -2|points }} {{ 0.494|ratio }} {{ 7.25|score }} "
                "{{ 1234|quantity }} {{ 1.5|hours }} {{ none|share }} {{ [1, 2]|count }}")
    with ctx.test_request_context():
        assert render_template_string(template) == f"16,7 16,7{NBSP}% −2,0 0,49 7,3 1{NBSP}234 1,5 — 2"
        with force_locale("en"):
            assert render_template_string("{{ 16.666|share }} {{ 1234|quantity }}") == "16.7 1,234"
