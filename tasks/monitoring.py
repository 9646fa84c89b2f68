"""Monitoring jobs: the daily tick (finds regions whose reference date has come) and the
aggregation of one period (set-based, exactly-once; see mentorship/monitoring/aggregation.py)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from core.extensions import db
from core.task_retries import DATABASE_RETRY
from mentorship.monitoring.aggregation import MonitoringError, aggregate_period
from mentorship.monitoring.models import MonitoringPeriod
from mentorship.monitoring.periods import due_periods, upcoming_periods
from mentorship.reports.workflow import ensure_reports
from tasks.tenant_task import as_tenant


@shared_task(name="nastavnik.monitoring.tick", ignore_result=False)
def tick(today: str | None = None) -> list[int]:
    """Enqueue the aggregation of every due period (``today``: ISO date, default each
    region's today); returns their ids. A repeated tick enqueues the same ids again, which
    the aggregation turns into no-ops once they are frozen."""
    due = due_periods(date.fromisoformat(today) if today else None)  # committed: safe to enqueue
    for region_id, period_id in due:
        aggregate.delay(region_id, period_id)
    return [period_id for _region_id, period_id in due]


@shared_task(name="nastavnik.monitoring.aggregate", ignore_result=False, **DATABASE_RETRY)
@as_tenant
def aggregate(region_id: int, period_id: int) -> bool:
    """Aggregate ``period_id`` of the region ``region_id`` (run as that ministry); True if
    it computed and froze the period, False if it was frozen already. Either way the frozen
    period's reports then exist for every school and municipal body (idempotent, so a task
    redelivered after the freeze completes them)."""
    period = db.session.get(MonitoringPeriod, period_id)
    if period is None or period.org_id != region_id:  # the period is read through the ministry's scope
        raise MonitoringError("period_missing")
    db.session.rollback()  # the aggregation opens its own (cross-tenant) transaction
    froze = aggregate_period(period_id)
    ensure_reports(period_id)
    return froze


@shared_task(name="nastavnik.monitoring.provisional_tick", ignore_result=False)
def provisional_tick(today: str | None = None) -> list[int]:
    """Enqueue the provisional count of every region's coming period (daily)."""
    upcoming = upcoming_periods(date.fromisoformat(today) if today else None)
    for region_id, period_id in upcoming:
        provisional.delay(region_id, period_id)
    return [period_id for _region_id, period_id in upcoming]


@shared_task(name="nastavnik.monitoring.provisional", ignore_result=False, **DATABASE_RETRY)
@as_tenant
def provisional(region_id: int, period_id: int) -> bool:
    """Count ``period_id`` provisionally (not frozen); nothing if it was frozen meanwhile."""
    period = db.session.get(MonitoringPeriod, period_id)
    if period is None or period.org_id != region_id:
        raise MonitoringError("period_missing")
    db.session.rollback()
    return aggregate_period(period_id, freeze=False)
