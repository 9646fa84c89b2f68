"""The region's monitoring calendar (DESIGN §5–6): two reference dates a year (default 20 June
and 20 December), the schools' and the municipal report deadlines (default 20 and 30
November), the region's time zone (default Europe/Moscow) — their rules and their editing.

The calendar lives on ``RegionSettings``; the periods it yields are the monitoring's
(mentorship/monitoring/periods.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import lazy_gettext as _l

from core.extensions import db
from mentorship.region.models import RegionSettings
from mentorship.region.settings import settings_for
from tenants import audit
from tenants.models import Organization

LEAP_YEAR = 2024  # a date valid in every year must be valid in a leap year and not be 29 February


CALENDAR_ERRORS = {
    "reference_date": _l("The reference date does not exist (day %(day)s of month %(month)s)."),
    "report_deadline": _l("The report deadline does not exist (day %(day)s of month %(month)s)."),
    "same_dates": _l("The two reference dates must differ."),
    "time_zone": _l("Unknown time zone: %(zone)s."),
}


@dataclass(frozen=True)
class CalendarProblem:
    code: str
    params: dict

    @property
    def message(self) -> str:
        return str(CALENDAR_ERRORS[self.code] % self.params)


def _valid_day(month: int | None, day: int | None) -> bool:
    if month is None or day is None:
        return False
    try:
        date(LEAP_YEAR, month, day)
    except (TypeError, ValueError):
        return False
    return not (month == 2 and day == 29)  # would exist one year in four


def calendar_problems(settings: RegionSettings) -> list[CalendarProblem]:
    """What is wrong with a calendar (empty: valid). Checked before saving."""
    problems = []
    for month, day in ((settings.reference_month_1, settings.reference_day_1),
                       (settings.reference_month_2, settings.reference_day_2)):
        if not _valid_day(month, day):
            problems.append(CalendarProblem("reference_date", {"month": month, "day": day}))
    if (settings.reference_month_1, settings.reference_day_1) == (settings.reference_month_2, settings.reference_day_2):
        problems.append(CalendarProblem("same_dates", {}))
    for month, day in ((settings.school_report_month, settings.school_report_day),
                       (settings.municipal_report_month, settings.municipal_report_day)):
        if not _valid_day(month, day):
            problems.append(CalendarProblem("report_deadline", {"month": month, "day": day}))
    try:
        ZoneInfo(settings.time_zone or "")
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(CalendarProblem("time_zone", {"zone": settings.time_zone}))
    return problems


def reference_dates(settings: RegionSettings, year: int) -> list[date]:
    """The region's reference dates in ``year``, in order."""
    return sorted({date(year, settings.reference_month_1, settings.reference_day_1),
                   date(year, settings.reference_month_2, settings.reference_day_2)})


def latest_reference_date(settings: RegionSettings, today: date) -> date:
    """The most recent reference date on or before ``today``."""
    candidates = reference_dates(settings, today.year - 1) + reference_dates(settings, today.year)
    return max(d for d in candidates if d <= today)


def region_today(settings: RegionSettings, now: datetime | None = None) -> date:
    """Today in the region's time zone."""
    return (now or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(settings.time_zone)).date()


# Russian IANA zones first in the calendar's list (tz database's zone1970.tab, country RU).
RUSSIAN_TIME_ZONES = (
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Kirov", "Europe/Volgograd", "Europe/Astrakhan",
    "Europe/Saratov", "Europe/Ulyanovsk", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
    "Asia/Novosibirsk", "Asia/Barnaul", "Asia/Tomsk", "Asia/Novokuznetsk", "Asia/Krasnoyarsk",
    "Asia/Irkutsk", "Asia/Chita", "Asia/Yakutsk", "Asia/Khandyga", "Asia/Vladivostok", "Asia/Ust-Nera",
    "Asia/Magadan", "Asia/Sakhalin", "Asia/Srednekolymsk", "Asia/Kamchatka", "Asia/Anadyr",
)


CALENDAR_FIELDS = (
    "reference_day_1", "reference_month_1", "reference_day_2", "reference_month_2",
    "school_report_day", "school_report_month", "municipal_report_day", "municipal_report_month", "time_zone",
)


def time_zone_choices() -> list[str]:
    """Every zone of the system's tz database, Russian ones first (west to east)."""
    available = available_timezones()
    russian = [z for z in RUSSIAN_TIME_ZONES if z in available]
    return russian + sorted(available - set(russian))


def calendar_values(region: Organization) -> dict:
    settings = settings_for(region)
    return {name: getattr(settings, name) for name in CALENDAR_FIELDS}


def save_calendar(region: Organization, values: dict) -> list[str]:
    """Validate the calendar (``calendar_problems``: 31 June, equal reference dates, an
    unknown zone…) and save it, audited; the messages of its problems if not (nothing saved)."""
    candidate = RegionSettings(**{name: values.get(name) for name in CALENDAR_FIELDS})
    problems = calendar_problems(candidate)
    if problems:
        return [p.message for p in problems]
    settings = settings_for(region)
    if settings.id is None:
        settings = RegionSettings(org_id=region.id, municipal_roadmaps_need_approval=False)
        db.session.add(settings)
    before = {name: getattr(settings, name) for name in CALENDAR_FIELDS}
    for name in CALENDAR_FIELDS:
        setattr(settings, name, values[name])
    after = {name: getattr(settings, name) for name in CALENDAR_FIELDS}
    if before != after:
        db.session.flush()
        audit.record("region.settings_changed", org=region, obj=settings,
                     details={"change": "calendar", "before": before, "after": after})
    return []
