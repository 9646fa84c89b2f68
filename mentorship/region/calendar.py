"""The region's monitoring calendar (DESIGN §5–6): two reference dates a year (default 20 June
and 20 December), each with its own report deadlines for the schools and for the municipal
bodies, and the region's time zone (default Europe/Moscow) — their rules and their editing.

Report deadlines (``report_deadlines``). Each reference date — each *round* of the monitoring
— has a schools' and a municipal bodies' deadline, a day and a month: the first such day after
the reference date. Left empty, a deadline follows the default rule:

* the schools report a month after the reference date (20 June → 20 July, 20 December →
  20 January);
* the municipal bodies by 30 November (seed 003: «ежегодно, не позднее 30 ноября») in the round
  where 30 November falls between the schools' deadline and the next reference date — the
  autumn round of the default calendar; in the other round a month after the schools;
* neither ever later than the next reference date.

A deadline the region sets must fall after its reference date and no later than the next one,
and the municipal bodies' no earlier than the schools'. A period whose reference date is no
longer in the calendar (the ministry moved it) belongs to the round of the latest reference
day before it.

The calendar lives on ``RegionSettings``; the periods it yields are the monitoring's
(mentorship/monitoring/periods.py); the reports take their deadlines from here
(mentorship/reports/deadlines.py) and follow a change of the calendar (``calendar_changed``).
"""
from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import lazy_gettext as _l

from core.extensions import db
from mentorship.region.models import RegionSettings
from mentorship.region.settings import settings_for
from mentorship.region.signals import calendar_changed
from tenants import audit
from tenants.models import Organization

LEAP_YEAR = 2024  # a date valid in every year must be valid in a leap year and not be 29 February
SAMPLE_YEAR = 2025  # deadlines are checked against the reference dates of a common year
AUTUMN_MUNICIPAL_DEADLINE = (11, 30)  # seed 003: «ежегодно, не позднее 30 ноября»
ROUNDS = (1, 2)
KINDS = ("school", "municipal")


CALENDAR_ERRORS = {
    "reference_date": _l("The reference date does not exist (day %(day)s of month %(month)s)."),
    "report_deadline": _l("The report deadline does not exist (day %(day)s of month %(month)s)."),
    "same_dates": _l("The two reference dates must differ."),
    "time_zone": _l("Unknown time zone: %(zone)s."),
    "school_incomplete": _l("The schools' report deadline after %(reference)s: give both the day and the month, "
                            "or leave both empty for the default."),
    "municipal_incomplete": _l("The municipal bodies' report deadline after %(reference)s: give both the day and "
                               "the month, or leave both empty for the default."),
    "school_window": _l("The schools' report deadline after %(reference)s must fall after that reference date and "
                        "no later than the next one (%(next)s)."),
    "municipal_window": _l("The municipal bodies' report deadline after %(reference)s must fall no earlier than the "
                           "schools' deadline (%(school)s) and no later than the next reference date (%(next)s)."),
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
    references_valid = True
    for month, day in ((settings.reference_month_1, settings.reference_day_1),
                       (settings.reference_month_2, settings.reference_day_2)):
        if not _valid_day(month, day):
            problems.append(CalendarProblem("reference_date", {"month": month, "day": day}))
            references_valid = False
    if (settings.reference_month_1, settings.reference_day_1) == (settings.reference_month_2, settings.reference_day_2):
        problems.append(CalendarProblem("same_dates", {}))
        references_valid = False
    deadlines_complete = True
    for n in ROUNDS:
        reference = (f"{getattr(settings, f'reference_day_{n}'):02d}.{getattr(settings, f'reference_month_{n}'):02d}"
                     if references_valid else str(n))
        for kind in KINDS:
            month, day = deadline_setting(settings, kind, n)
            if (month is None) != (day is None):
                problems.append(CalendarProblem(f"{kind}_incomplete", {"reference": reference}))
                deadlines_complete = False
            elif month is not None and not _valid_day(month, day):
                problems.append(CalendarProblem("report_deadline", {"month": month, "day": day}))
                deadlines_complete = False
    if references_valid and deadlines_complete:
        problems += _window_problems(settings)
    try:
        ZoneInfo(settings.time_zone or "")
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(CalendarProblem("time_zone", {"zone": settings.time_zone}))
    return problems


def _window_problems(settings: RegionSettings) -> list[CalendarProblem]:
    """The deadlines the region set that fall outside their round (checked in a common year)."""
    problems = []
    for n in ROUNDS:
        reference = date(SAMPLE_YEAR, getattr(settings, f"reference_month_{n}"), getattr(settings, f"reference_day_{n}"))
        due = report_deadlines(settings, reference)
        params = {"reference": f"{reference:%d.%m}", "next": f"{due.next_reference:%d.%m}",
                  "school": f"{due.school:%d.%m}"}
        if not due.school_default and not (reference < due.school <= due.next_reference):
            problems.append(CalendarProblem("school_window", params))
        elif not due.municipal_default and not (due.school <= due.municipal <= due.next_reference):
            problems.append(CalendarProblem("municipal_window", params))
    return problems


def reference_dates(settings: RegionSettings, year: int) -> list[date]:
    """The region's reference dates in ``year``, in order."""
    return sorted({date(year, settings.reference_month_1, settings.reference_day_1),
                   date(year, settings.reference_month_2, settings.reference_day_2)})


def latest_reference_date(settings: RegionSettings, today: date) -> date:
    """The most recent reference date on or before ``today``."""
    candidates = reference_dates(settings, today.year - 1) + reference_dates(settings, today.year)
    return max(d for d in candidates if d <= today)


def next_reference_date(settings: RegionSettings, reference: date) -> date:
    """The region's first reference date strictly after ``reference``."""
    candidates = reference_dates(settings, reference.year) + reference_dates(settings, reference.year + 1)
    return min(d for d in candidates if d > reference)


def round_of(settings: RegionSettings, reference: date) -> int:
    """The round (1 or 2: the first or second reference date of the calendar) a period with
    ``reference`` date belongs to: the round of the latest reference day on or before it."""
    dated = [(date(year, getattr(settings, f"reference_month_{n}"), getattr(settings, f"reference_day_{n}")), n)
             for year in (reference.year - 1, reference.year) for n in ROUNDS]
    return max((d, n) for d, n in dated if d <= reference)[1]


def deadline_setting(settings: RegionSettings, kind: str, n: int) -> tuple[int | None, int | None]:
    """(month, day) the region set for the ``kind`` ("school" | "municipal") deadline of round
    ``n``; (None, None) when it follows the default rule."""
    return getattr(settings, f"{kind}_report_month_{n}"), getattr(settings, f"{kind}_report_day_{n}")


def on_day(year: int, month: int, day: int) -> date:
    """``day`` of ``month`` in ``year``, clamped to the month's last day (29 February)."""
    return date(year, month, min(day, month_calendar.monthrange(year, month)[1]))


def deadline_on(reference: date, month: int, day: int) -> date:
    """The first ``month``/``day`` on or after ``reference``."""
    this_year = on_day(reference.year, month, day)
    return this_year if this_year >= reference else on_day(reference.year + 1, month, day)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    return on_day(index // 12, index % 12 + 1, day.day)


@dataclass(frozen=True)
class RoundDeadlines:
    """The report deadlines of the period with ``reference`` date."""

    round: int
    reference: date
    next_reference: date
    school: date
    municipal: date
    school_default: bool
    municipal_default: bool


def report_deadlines(settings: RegionSettings, reference: date) -> RoundDeadlines:
    """The schools' and the municipal bodies' report deadlines of the period with
    ``reference`` date (the default rule where the region set none; see the module's docstring)."""
    n = round_of(settings, reference)
    next_reference = next_reference_date(settings, reference)
    month, day = deadline_setting(settings, "school", n)
    if month is not None and day is not None:
        school, school_default = deadline_on(reference, month, day), False
    else:
        school, school_default = min(add_months(reference, 1), next_reference), True
    month, day = deadline_setting(settings, "municipal", n)
    if month is not None and day is not None:
        municipal, municipal_default = deadline_on(reference, month, day), False
    else:
        autumn = deadline_on(school, *AUTUMN_MUNICIPAL_DEADLINE)
        municipal = autumn if autumn <= next_reference else min(add_months(school, 1), next_reference)
        municipal_default = True
    return RoundDeadlines(n, reference, next_reference, school, municipal, school_default, municipal_default)


def calendar_rounds(settings: RegionSettings, today: date) -> list[RoundDeadlines]:
    """The deadlines of the latest reference date on or before ``today`` and of the next one
    (the calendar page's table)."""
    latest = latest_reference_date(settings, today)
    return [report_deadlines(settings, latest), report_deadlines(settings, next_reference_date(settings, latest))]


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


DEADLINE_FIELDS = tuple(f"{kind}_report_{part}_{n}" for n in ROUNDS for kind in KINDS for part in ("day", "month"))
CALENDAR_FIELDS = (
    "reference_day_1", "reference_month_1", "reference_day_2", "reference_month_2", *DEADLINE_FIELDS, "time_zone",
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
    """Validate the calendar (``calendar_problems``: 31 June, equal reference dates, a
    deadline outside its round, an unknown zone…) and save it, audited, telling the areas that
    derive something from it (``calendar_changed``: the open reports take the new deadlines);
    the messages of its problems if not (nothing saved). A deadline given as None (day and
    month) follows the default rule."""
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
        setattr(settings, name, values.get(name))
    after = {name: getattr(settings, name) for name in CALENDAR_FIELDS}
    if before != after:
        db.session.flush()
        audit.record("region.settings_changed", org=region, obj=settings,
                     details={"change": "calendar", "before": before, "after": after})
        calendar_changed.send(region, settings=settings)
    return []
