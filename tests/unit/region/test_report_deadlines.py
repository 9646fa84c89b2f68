"""Each reference date of the calendar has its own report deadlines
(mentorship/region/calendar.py ``report_deadlines``): by default the schools a month after the
date, the municipal bodies on 30 November in the autumn round (seed 003) and a month after the
schools in the other — never eleven months later; the region may set both, inside the round."""
from __future__ import annotations

from datetime import date

import pytest

from core.extensions import db
from mentorship.region import calendar as region_calendar
from mentorship.region.calendar import add_months, calendar_problems, calendar_rounds, report_deadlines
from mentorship.region.settings import default_settings, settings_for

pytestmark = pytest.mark.backends("sqlite", "postgresql")

JUNE, DECEMBER = date(2026, 6, 20), date(2026, 12, 20)


def _dates(due):
    return due.school, due.municipal


def _settings(**values):
    settings = default_settings()
    for name, value in values.items():
        setattr(settings, name, value)
    return settings


def test_by_default_each_reference_date_has_its_own_deadlines(ctx):
    settings = default_settings()
    june, december = report_deadlines(settings, JUNE), report_deadlines(settings, DECEMBER)
    assert (june.round, december.round) == (1, 2)
    assert _dates(june) == (date(2026, 7, 20), date(2026, 11, 30))  # a month after; seed 003's 30 November
    assert _dates(december) == (date(2027, 1, 20), date(2027, 2, 20))  # not November of the next year
    assert june.school_default and june.municipal_default and december.next_reference == date(2027, 6, 20)
    assert calendar_problems(settings) == []


def test_the_deadlines_the_region_sets_are_used(ctx):
    settings = _settings(school_report_month_2=1, school_report_day_2=15,
                         municipal_report_month_2=2, municipal_report_day_2=1,
                         school_report_month_1=9, school_report_day_1=1)
    assert calendar_problems(settings) == []
    assert _dates(report_deadlines(settings, DECEMBER)) == (date(2027, 1, 15), date(2027, 2, 1))
    june = report_deadlines(settings, JUNE)
    assert _dates(june) == (date(2026, 9, 1), date(2026, 11, 30))  # the municipal one by default still
    assert not june.school_default and june.municipal_default
    # a school deadline after 30 November: the bodies' default is a month later, capped by the next date
    late = _settings(school_report_month_1=12, school_report_day_1=5)
    assert _dates(report_deadlines(late, JUNE)) == (date(2026, 12, 5), date(2026, 12, 20))


@pytest.mark.parametrize("values,code,fragment", [
    ({"school_report_month_2": 11, "school_report_day_2": 20}, "school_window", "20.06"),  # eleven months on
    ({"school_report_month_1": 6, "school_report_day_1": 20}, "school_window", "20.06"),  # the reference day itself
    ({"municipal_report_month_2": 1, "municipal_report_day_2": 10}, "municipal_window", "20.01"),  # before the schools
    ({"municipal_report_month_1": 12, "municipal_report_day_1": 21}, "municipal_window", "20.12"),  # past the next
    ({"municipal_report_month_1": 11, "municipal_report_day_1": None}, "municipal_incomplete", "20.06"),
    ({"school_report_month_2": 4, "school_report_day_2": 31}, "report_deadline", "31"),
])
def test_a_deadline_outside_its_round_is_refused(ctx, values, code, fragment):
    problems = calendar_problems(_settings(**values))
    assert [p.code for p in problems] == [code]
    assert fragment in problems[0].message


def test_a_deadline_on_the_next_reference_date_is_allowed(ctx):
    assert calendar_problems(_settings(municipal_report_month_1=12, municipal_report_day_1=20)) == []


def test_defaults_stay_inside_a_short_round(ctx):
    # Reference dates eleven days apart: the first round's deadlines stop at the next date.
    settings = _settings(reference_month_2=7, reference_day_2=1)
    assert calendar_problems(settings) == []
    first, second = report_deadlines(settings, JUNE), report_deadlines(settings, date(2026, 7, 1))
    assert _dates(first) == (date(2026, 7, 1), date(2026, 7, 1))
    assert _dates(second) == (date(2026, 8, 1), date(2026, 11, 30))


def test_a_period_of_an_earlier_calendar_belongs_to_the_round_before_it(ctx):
    settings = _settings(reference_month_1=5, reference_day_1=25, school_report_month_1=6, school_report_day_1=25)
    # the period of 20 June (made before the ministry moved the date to 25 May) is in the first round
    due = report_deadlines(settings, JUNE)
    assert due.round == 1 and due.school == date(2026, 6, 25)
    assert report_deadlines(settings, date(2027, 1, 10)).round == 2


def test_months_are_added_with_the_last_day_when_shorter():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 20), 1) == date(2027, 1, 20)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_the_calendar_page_table_shows_the_latest_and_the_next_period(ctx):
    rounds = calendar_rounds(default_settings(), date(2027, 3, 1))
    assert [(r.reference, r.school, r.municipal) for r in rounds] == [
        (date(2026, 12, 20), date(2027, 1, 20), date(2027, 2, 20)),
        (date(2027, 6, 20), date(2027, 7, 20), date(2027, 11, 30)),
    ]


def test_deadlines_are_saved_and_emptied_back_to_the_default(ministry):
    values = region_calendar.calendar_values(ministry)
    assert values["school_report_day_1"] is None and values["municipal_report_month_2"] is None
    values.update(school_report_day_2=15, school_report_month_2=1)
    assert region_calendar.save_calendar(ministry, values) == []
    db.session.commit()
    saved = settings_for(ministry)
    assert (saved.school_report_month_2, saved.school_report_day_2) == (1, 15)
    assert _dates(report_deadlines(saved, DECEMBER)) == (date(2027, 1, 15), date(2027, 2, 15))
    values.update(school_report_day_2=None, school_report_month_2=None)
    assert region_calendar.save_calendar(ministry, values) == []
    db.session.commit()
    assert _dates(report_deadlines(settings_for(ministry), DECEMBER)) == (date(2027, 1, 20), date(2027, 2, 20))
