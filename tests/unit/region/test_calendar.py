"""The region's monitoring calendar (mentorship/region/calendar.py): an impossible calendar saves
nothing, a good one is saved and audited, Russian time zones first. Each reference date's own
report deadlines: tests/unit/region/test_report_deadlines.py."""
from __future__ import annotations

from datetime import date

import pytest

from core.extensions import db
from mentorship.monitoring import periods
from mentorship.region import calendar as region_calendar
from mentorship.region.models import RegionSettings
from mentorship.region.settings import settings_for
from tenants.models import AuditEvent
from tests.support.ministry import count_rows

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _calendar(**changes):
    values = {"reference_day_1": 20, "reference_month_1": 6, "reference_day_2": 20, "reference_month_2": 12,
              "school_report_day_1": 20, "school_report_month_1": 11, "municipal_report_day_1": 30,
              "municipal_report_month_1": 11, "time_zone": "Europe/Kirov"}
    return {**values, **changes}


@pytest.mark.parametrize("changes,fragment", [
    ({"reference_day_1": 31}, "31"),
    ({"municipal_report_day_1": 31}, "31"),
    ({"school_report_day_2": 31, "school_report_month_2": 4}, "31"),  # 31 April
    ({"school_report_day_2": 20, "school_report_month_2": None}, "20.12"),  # a day without its month
    ({"reference_day_2": 29, "reference_month_2": 2}, "29"),
    ({"reference_day_2": 20, "reference_month_2": 6}, None),
    ({"time_zone": "Mars/Olympus"}, "Mars/Olympus"),
])
def test_an_impossible_calendar_saves_nothing(ministry, changes, fragment):
    problems = region_calendar.save_calendar(ministry, _calendar(**changes))
    assert len(problems) == 1
    if fragment:
        assert fragment in problems[0]
    db.session.rollback()
    assert count_rows(RegionSettings) == 0 and count_rows(AuditEvent, action="region.settings_changed") == 0


def test_the_calendar_is_saved_and_audited(ministry):
    assert region_calendar.save_calendar(ministry, _calendar(reference_day_1=25, reference_month_1=5)) == []
    db.session.commit()
    saved = settings_for(ministry)
    assert (saved.reference_month_1, saved.reference_day_1, saved.time_zone) == (5, 25, "Europe/Kirov")
    assert count_rows(AuditEvent, action="region.settings_changed") == 1
    assert periods.due_reference_date(ministry, date(2027, 6, 1)) == date(2027, 5, 25)
    assert periods.due_reference_date(ministry, date(2027, 5, 24)) == date(2026, 12, 20)


def test_russian_time_zones_come_first():
    zones = region_calendar.time_zone_choices()
    assert zones[:2] == ["Europe/Kaliningrad", "Europe/Moscow"]
    assert zones.index("Asia/Anadyr") < zones.index("Africa/Abidjan")
    assert len(zones) == len(set(zones)) > 300
