"""Numbers as people read them: one function per kind of figure, the locale's separators.

Every page, spreadsheet and document prints figures through these functions (pages through the
Jinja filters of the same names, registered by ``core.i18n``), so a share reads «16,7» in
Russian and «16.7» in English everywhere, always with the same number of decimals:

| kind | function | decimals | Russian example |
| --- | --- | --- | --- |
| a share in % (0–100), bare (a column headed «…, %») | ``share`` | 1 | 16,7 |
| a share with its sign | ``percent`` | 1 | 16,7 % |
| a difference of shares, percentage points | ``points`` | 1 | +2,5 / −2,5 |
| a ratio or mean (answers per question, a 1–10 scale) | ``ratio`` | 2 | 0,49 |
| a score (matching) or mean rating | ``score`` | 1 | 7,5 |
| a count | ``count`` | 0 | 1 234 |
| hours | ``hours`` | up to 1 | 1,5 / 36 |
| a file size | ``file_size`` | 1 | 12,3 КБ |

Values are rounded half away from zero (as a spreadsheet shows them), not to the nearest even
digit. ``None`` prints as a dash. The locale is Flask-Babel's (``get_locale``) unless one is
given; outside an application it is Russian. Spreadsheets get numbers, not text: the
``XLSX_*`` number formats below are the same kinds for openpyxl cells.
"""
from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel.numbers import format_decimal as babel_format_decimal
from flask import has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

__all__ = [
    "DASH", "SHARE_DECIMALS", "RATIO_DECIMALS", "SCORE_DECIMALS", "XLSX_SHARE", "XLSX_RATIO", "XLSX_SCORE",
    "XLSX_COUNT", "XLSX_HOURS", "share", "percent", "points", "ratio", "score", "count", "hours", "file_size",
    "decimal", "JINJA_FILTERS",
]

DASH = "—"
SHARE_DECIMALS = 1
RATIO_DECIMALS = 2
SCORE_DECIMALS = 1
MINUS = "\u2212"  # a real minus sign, as typeset

# openpyxl number formats of the same kinds: the spreadsheet shows the reader's separators.
XLSX_SHARE = "0.0"
XLSX_RATIO = "0.00"
XLSX_SCORE = "0.0"
XLSX_COUNT = "#,##0"
XLSX_HOURS = "0.#"

KILOBYTES = _l("%(n)s KB")
MEGABYTES = _l("%(n)s MB")


def _locale(locale: Locale | str | None) -> Locale:
    if locale is not None:
        return Locale.parse(locale)
    if has_app_context():
        chosen = get_locale()
        if chosen is not None:
            return chosen
    return Locale.parse("ru")


def _exact(value) -> Decimal | None:
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _rounded(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal(value, places: int, *, locale: Locale | str | None = None, trim: bool = False) -> str:
    """``value`` with exactly ``places`` decimals (at most, with ``trim``) in the locale's
    separators («1 234,5»); a dash for ``None``."""
    number = _exact(value)
    if number is None:
        return DASH
    fraction = "0" * places if not trim else "#" * places
    pattern = "#,##0" + (f".{fraction}" if places else "")
    return babel_format_decimal(_rounded(number, places), format=pattern, locale=_locale(locale))


def share(value, *, locale: Locale | str | None = None) -> str:
    """A share in % (16.666 → «16,7»), bare: for a column or field whose heading says «%»."""
    return decimal(value, SHARE_DECIMALS, locale=locale)


def percent(value, *, locale: Locale | str | None = None, places: int = SHARE_DECIMALS) -> str:
    """A share in % with the locale's percent sign: «16,7 %» in Russian, «16.7%» in English.
    ``value`` is on the 0–100 scale (as the figures are stored), not a fraction."""
    number = _exact(value)
    if number is None:
        return DASH
    chosen = _locale(locale)
    pattern = copy.copy(chosen.percent_formats[None])
    pattern.frac_prec = (places, places)
    return pattern.apply(_rounded(number, places) / 100, chosen)


def points(value, *, locale: Locale | str | None = None) -> str:
    """A difference of shares in percentage points, signed: «+2,5», «−2,5», «0,0»."""
    number = _exact(value)
    if number is None:
        return DASH
    number = _rounded(number, SHARE_DECIMALS)
    text = share(abs(number), locale=locale)
    if number > 0:
        return "+" + text
    if number < 0:
        return MINUS + text
    return text


def ratio(value, *, locale: Locale | str | None = None) -> str:
    """A ratio or a mean with two decimals: «0,49», «7,20»."""
    return decimal(value, RATIO_DECIMALS, locale=locale)


def score(value, *, locale: Locale | str | None = None) -> str:
    """A score or a mean rating with one decimal: «7,5»."""
    return decimal(value, SCORE_DECIMALS, locale=locale)


def count(value, *, locale: Locale | str | None = None) -> str:
    """A whole number with the locale's thousands separator: «1 234»."""
    return decimal(value, 0, locale=locale)


def hours(value, *, locale: Locale | str | None = None) -> str:
    """Hours: whole ones without decimals («36»), others with one («1,5»)."""
    return decimal(value, 1, locale=locale, trim=True)


def file_size(size, *, locale: Locale | str | None = None) -> str:
    """A size in bytes as kilobytes or megabytes with one decimal: «12,3 КБ»."""
    number = _exact(size)
    if number is None:
        return DASH
    if number >= 1024 * 1024:
        return str(MEGABYTES) % {"n": decimal(number / (1024 * 1024), 1, locale=locale)}
    return str(KILOBYTES) % {"n": decimal(number / 1024, 1, locale=locale)}


# Jinja filters of the same names (``count`` is Jinja's own ``length``: ours is ``quantity``).
JINJA_FILTERS = {
    "share": share, "percent": percent, "points": points, "ratio": ratio, "score": score, "quantity": count,
    "hours": hours, "file_size": file_size,
}
