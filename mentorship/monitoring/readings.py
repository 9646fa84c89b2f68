"""What every level reads of the monitoring, as plain values: the periods of its region and
the figures of the snapshots.

Periods are the ministry's rows: a municipal body's or a school's scope does not reach them,
so they are read here, under one named ``unscoped``, as columns (dates and states, nothing
personal) — one way for the reports, the dashboards and the analytical report alike.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.models import MonitoringPeriod
from tenants.context import unscoped
from tenants.models import Organization
from tenants.scoping import region_path

LABEL = "monitoring.read_periods"


@dataclass(frozen=True)
class PeriodInfo:
    """A monitoring period of a region (newest first wherever lists of them are returned)."""

    id: int
    reference_date: date
    status: str
    region_id: int
    done: int = 0
    total: int = 0
    runs: int = 0
    unfrozen_at: datetime | None = None

    @property
    def frozen(self) -> bool:
        return self.status == "frozen"

    @property
    def final(self) -> bool:
        """Its figures are final (frozen), not provisional or being recalculated."""
        return self.frozen

    @property
    def has_figures(self) -> bool:
        """Frozen, or aggregated before and unfrozen for a re-run (not a coming period counted
        provisionally)."""
        return self.frozen or (self.runs > 0 and self.unfrozen_at is not None)


@dataclass(frozen=True)
class Figure:
    """One frozen figure: numerator / denominator, the value in % (None: denominator 0)."""

    numerator: int
    denominator: int
    value: float | None

    @property
    def over_100(self) -> bool:
        """A share over 100 %: a reference figure smaller than the counted numerator."""
        return self.value is not None and self.value > 100


_COLUMNS = (MonitoringPeriod.id, MonitoringPeriod.reference_date, MonitoringPeriod.status, MonitoringPeriod.org_id,
            MonitoringPeriod.done, MonitoringPeriod.total, MonitoringPeriod.runs, MonitoringPeriod.unfrozen_at)


def region_periods(org: Organization) -> list[PeriodInfo]:
    """Every monitoring period of ``org``'s region, newest first."""
    with unscoped(LABEL):
        rows = db.session.execute(
            sa.select(*_COLUMNS).where(MonitoringPeriod.org_path == region_path(org.path))
            .order_by(MonitoringPeriod.reference_date.desc(), MonitoringPeriod.id.desc())
        ).all()
    return [PeriodInfo(*row) for row in rows]


def periods_by_id(period_ids: Iterable[int]) -> dict[int, PeriodInfo]:
    ids = set(period_ids)
    if not ids:
        return {}
    with unscoped(LABEL):
        rows = db.session.execute(sa.select(*_COLUMNS).where(MonitoringPeriod.id.in_(ids))).all()
    return {row[0]: PeriodInfo(*row) for row in rows}


def period_info(period_id: int) -> PeriodInfo | None:
    return periods_by_id([period_id]).get(period_id)


def period_of(org: Organization, period_id: int | None) -> PeriodInfo | None:
    """Period ``period_id`` if it belongs to ``org``'s region, else None."""
    return next((p for p in region_periods(org) if p.id == period_id), None)
