"""Monitoring periods: one per region and reference date (the region's calendar,
mentorship/region/calendar.py), and the daily tick that opens them.

The daily tick does not depend on running on the day itself: for each region it takes the
most recent reference date on or before the region's today, and if that date's period is
not frozen (and is not held after the ministry unfroze it, until it asks for the re-run) it
makes sure the period exists and returns it for aggregation. The unique key (region,
reference date) makes the period exactly-once; a repeated tick, or a second beat, finds it.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from mentorship.monitoring.aggregation import request_rerun, unfreeze
from mentorship.monitoring.facts import indicator_codes_only
from mentorship.monitoring.models import MetricSnapshot, MonitoringPeriod
from mentorship.region.calendar import latest_reference_date, reference_dates, region_today
from mentorship.region.models import RegionSettings
from mentorship.region.settings import default_settings, settings_for
from tenants.context import unscoped
from tenants.models import Organization


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


def due_reference_date(region: Organization, today: date | None = None) -> date:
    """The region's most recent reference date on or before ``today`` (the region's today)."""
    settings = settings_for(region)
    return latest_reference_date(settings, today or region_today(settings))


def period_on(region: Organization, reference_date: date) -> MonitoringPeriod | None:
    return db.session.scalar(sa.select(MonitoringPeriod).where(
        MonitoringPeriod.org_id == region.id, MonitoringPeriod.reference_date == reference_date))


def snapshot_counts(period_ids: list[int]) -> dict[int, int]:
    """Snapshots per period, in one query."""
    if not period_ids:
        return {}
    return dict(db.session.execute(
        sa.select(MetricSnapshot.period_id, sa.func.count()).where(MetricSnapshot.period_id.in_(period_ids))
        .group_by(MetricSnapshot.period_id)).all())


def region_snapshots(period: MonitoringPeriod) -> list[MetricSnapshot]:
    """The period's figures of the region itself (the ministry level), by indicator code."""
    return list(db.session.scalars(
        sa.select(MetricSnapshot).where(MetricSnapshot.period_id == period.id, MetricSnapshot.org_id == period.org_id,
                                        indicator_codes_only(MetricSnapshot.indicator_code))  # not pairs by form
        .order_by(MetricSnapshot.indicator_code)))


def counts_by_level(period: MonitoringPeriod) -> dict[str, int]:
    return dict(db.session.execute(
        sa.select(MetricSnapshot.org_kind, sa.func.count(sa.distinct(MetricSnapshot.org_id)))
        .where(MetricSnapshot.period_id == period.id).group_by(MetricSnapshot.org_kind)).all())


def run_now(region: Organization, user, today: date | None = None) -> MonitoringPeriod:
    """The period of the latest due reference date, created if missing and marked for a run
    (audited). The caller commits, then enqueues the aggregation after the commit.

    No savepoint (SQLite's driver would commit it on release): the new period rides in the
    caller's transaction; a concurrent twin (a double click, the daily tick) hits the unique
    key, and then the whole request starts over on the period that now exists."""
    reference_date = due_reference_date(region, today)
    period = period_on(region, reference_date)
    if period is None:
        period = MonitoringPeriod(org_id=region.id, reference_date=reference_date, status="pending")
        db.session.add(period)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            period = period_on(region, reference_date)
    return rerun(period, user)


def rerun(period: MonitoringPeriod, user) -> MonitoringPeriod:
    """Ask for a new aggregation of an unfrozen period (audited; MonitoringError if frozen)."""
    return request_rerun(period, user)


def unfreeze_period(period: MonitoringPeriod, reason: str, user) -> MonitoringPeriod:
    """Reopen a frozen period with a reason (audited)."""
    return unfreeze(period, reason, user)


def period_progress(period: MonitoringPeriod) -> dict:
    """The JSON the period page polls."""
    return {"status": period.status, "done": period.done, "total": period.total}
