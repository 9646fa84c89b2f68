"""The calendar page's report deadlines: each reference date's own, shown as dates for the
latest and the next period (by default marked so), set by the admin, emptied back to the
default; a deadline outside its round saves nothing."""
from __future__ import annotations

import re

import pytest

from mentorship.region.calendar import calendar_rounds, region_today
from mentorship.region.models import RegionSettings
from mentorship.region.settings import default_settings
from tests.support.ministry import post_form, rows_of

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CALENDAR = {"reference_day_1": "20", "reference_month_1": "6", "reference_day_2": "20", "reference_month_2": "12",
            "school_report_day_1": "", "school_report_month_1": "", "municipal_report_day_1": "",
            "municipal_report_month_1": "", "school_report_day_2": "", "school_report_month_2": "",
            "municipal_report_day_2": "", "municipal_report_month_2": "", "time_zone": "Europe/Moscow"}


def _table(page: str) -> list[tuple[str, str, str]]:
    table = page.split('id="report-deadlines"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-reference="([\d-]+)".*?data-school="([\d-]+)".*?data-municipal="([\d-]+)"', table, re.S)


def _expected(settings) -> list[tuple[str, str, str]]:
    return [(r.reference.isoformat(), r.school.isoformat(), r.municipal.isoformat())
            for r in calendar_rounds(settings, region_today(settings))]


def test_the_page_shows_each_reference_dates_deadlines(app, admin, analyst):
    with app.app_context():
        expected = _expected(default_settings())
    page = analyst.get("/monitoring/calendar").get_data(as_text=True)
    assert _table(page) == expected and len(expected) == 2
    months = {r[0][5:]: (r[1][5:], r[2][5:]) for r in expected}  # by default, whatever today is
    assert months == {"06-20": ("07-20", "11-30"), "12-20": ("01-20", "02-20")}
    # the deadline fields are empty: the default rule
    assert re.search(r'name="school_report_day_2"[^>]*value=""|name="school_report_day_2"(?![^>]*value=)', page)


def test_the_admin_sets_the_december_deadlines_and_empties_them_again(app, admin):
    ok = post_form(admin, "/monitoring/calendar", CALENDAR | {
        "school_report_day_2": "15", "school_report_month_2": "1",
        "municipal_report_day_2": "1", "municipal_report_month_2": "2"})
    assert ok.status_code == 302
    saved = rows_of(app, RegionSettings)[0]
    assert (saved.school_report_month_2, saved.school_report_day_2, saved.municipal_report_month_2,
            saved.municipal_report_day_2) == (1, 15, 2, 1)
    assert saved.school_report_month_1 is None  # the June round keeps the default rule
    page = admin.get("/monitoring/calendar").get_data(as_text=True)
    december = next(row for row in _table(page) if row[0].endswith("12-20"))
    assert (december[1][5:], december[2][5:]) == ("01-15", "02-01")
    assert post_form(admin, "/monitoring/calendar", CALENDAR).status_code == 302
    saved = rows_of(app, RegionSettings)[0]
    assert (saved.school_report_month_2, saved.school_report_day_2) == (None, None)


@pytest.mark.parametrize("changes", [
    {"school_report_day_2": "20", "school_report_month_2": "11"},  # eleven months after 20 December
    {"municipal_report_day_1": "10", "municipal_report_month_1": "7"},  # before the schools' 20 July
    {"school_report_day_1": "15"},  # a day without its month
])
def test_a_deadline_outside_its_round_saves_nothing(app, admin, changes):
    bad = post_form(admin, "/monitoring/calendar", CALENDAR | changes)
    assert bad.status_code == 200 and 'id="calendar-problems"' in bad.get_data(as_text=True)
    assert not rows_of(app, RegionSettings)


def test_the_analyst_sees_the_deadlines_but_cannot_change_them(app, analyst):
    token_page = analyst.get("/monitoring/calendar")
    assert token_page.status_code == 200 and 'id="report-deadlines"' in token_page.get_data(as_text=True)
    assert post_form(analyst, "/monitoring/calendar", CALENDAR).status_code == 403
