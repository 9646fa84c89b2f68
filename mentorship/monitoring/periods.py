"""The monitoring calendar (DESIGN §5–6): reference dates, report deadlines, and the daily tick.

A region's calendar lives on ``RegionSettings``: two reference dates a year (default
20 June and 20 December), the schools' and the municipal report deadlines (default
20 and 30 November), the time zone (default Europe/Moscow).

The daily tick does not depend on running on the day itself: for each region it takes the
most recent reference date on or before the region's today, and if that date's period is
not frozen (and is not held after the ministry unfroze it, until it asks for the re-run) it
makes sure the period exists and returns it for aggregation. The unique key (region,
reference date) makes the period exactly-once; a repeated tick, or a second beat, finds it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from mentorship.monitoring.models import MonitoringPeriod
from mentorship.region.settings import default_settings
from mentorship.region.models import RegionSettings
from tenants.context import unscoped
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


def _regions_with_settings() -> list[tuple[Organization, RegionSettings]]:
    regions = db.session.scalars(
        sa.select(Organization).where(Organization.kind == "ministry", Organization.is_active.is_(True))
        .order_by(Organization.id)
    ).all()
    saved = {s.org_id: s for s in db.session.scalars(sa.select(RegionSettings))}
    return [(region, saved.get(region.id) or default_settings()) for region in regions]


def _ensure_period(region: Organization, reference_date: date) -> MonitoringPeriod:
    period = db.session.scalar(sa.select(MonitoringPeriod).where(
        MonitoringPeriod.org_id == region.id, MonitoringPeriod.reference_date == reference_date))
    if period is not None:
        return period
    try:
        with db.session.begin_nested():
            period = MonitoringPeriod(org_id=region.id, reference_date=reference_date, status="pending")
            db.session.add(period)
    except IntegrityError:  # a concurrent tick created it first
        period = db.session.scalar(sa.select(MonitoringPeriod).where(
            MonitoringPeriod.org_id == region.id, MonitoringPeriod.reference_date == reference_date))
    return period


def due_periods(today: date | None = None, now: datetime | None = None) -> list[tuple[int, int]]:
    """(region id, period id) of every region whose latest reference date (on or before its
    today, or ``today`` when given) has no frozen period; creates missing periods and commits."""
    due = []
    with unscoped("monitoring.tick"):
        for region, settings in _regions_with_settings():
            day = today or region_today(settings, now)
            period = _ensure_period(region, latest_reference_date(settings, day))
            if period.status != "frozen" and period.unfrozen_at is None:
                due.append((region.id, period.id))
        db.session.commit()
    return due


def upcoming_periods(today: date | None = None, now: datetime | None = None) -> list[tuple[int, int]]:
    """(region id, period id) of every region's next reference date after its today: the
    period is created (pending) for the provisional count; commits."""
    upcoming = []
    with unscoped("monitoring.provisional_tick"):
        for region, settings in _regions_with_settings():
            day = today or region_today(settings, now)
            ahead = [d for y in (day.year, day.year + 1) for d in reference_dates(settings, y) if d > day]
            period = _ensure_period(region, min(ahead))
            if period.status == "pending" and period.unfrozen_at is None:
                upcoming.append((region.id, period.id))
        db.session.commit()
    return upcoming


tick = due_periods  # the daily beat job's domain entry (tasks/monitoring.py enqueues the result)
