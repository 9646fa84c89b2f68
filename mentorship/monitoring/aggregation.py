"""The semiannual monitoring aggregation (DESIGN §5–6).

``aggregate_period(period_id)`` counts every school of the period's region at once
(mentorship/monitoring/sql.py: one INSERT … SELECT … GROUP BY per indicator and level), rolls
the figures up to the municipal bodies and the region, and freezes the period.

Exactly once, whatever happens:

* the whole replacement is ONE transaction that first deletes the period's snapshots, so a
  reader sees the old set or the new one, and a killed worker leaves the old set (its
  transaction is rolled back by the server);
* runs of one period are serialised: on PostgreSQL by a transaction-level advisory lock on
  the period (taken first; a row lock on the period row would block the progress updates,
  which are committed separately so the ministry sees them while the run is under way); on
  SQLite by the database's single writer, taken by the first UPDATE of the period row;
* a run that gets the lock after another froze the period does nothing, so a task run twice,
  twice at once or redelivered after a crash ends with the same rows and never duplicates;
  every write is an upsert on the unique (period, organisation, indicator) key besides.

Besides the indicators, the same transaction writes the pairs and groups per form at the three
levels (codes ``pairs_by_form:<form>``, mentorship/monitoring/facts.py).

Progress: ``total`` = number of indicators + 1, ``done`` += 1 after each indicator's three
levels and once more after the per-form counts.
A ministry admin may ``unfreeze`` a frozen period (with a reason, audited) and re-run it.
"""
from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import Conflict
from core.extensions import db
from core.model import utcnow
from mentorship.monitoring import sql as monitoring_sql
from mentorship.monitoring.facts import DENOMINATOR_FACTS, STANDARD_INDICATORS, FactContext, IndicatorSpec
from mentorship.monitoring.models import Indicator, MetricSnapshot, MonitoringPeriod, RegionFigure
from tenants import audit
from tenants.context import unscoped
from tenants.models import Organization

log = logging.getLogger("nastavnik.monitoring")

LABEL = "monitoring.aggregate"
ADVISORY_NAMESPACE = 510_005  # first key of pg_advisory_xact_lock(namespace, period id)
T = MonitoringPeriod.__table__


class MonitoringError(Conflict):
    """A monitoring action that is not allowed in the period's state."""

    MESSAGES = {
        "frozen": _l("The period is frozen: unfreeze it first."),
        "not_frozen": _l("Only a frozen period can be unfrozen."),
        "reason_required": _l("Give the reason for unfreezing."),
        "period_missing": _l("There is no such monitoring period."),
    }


def region_indicators(region_path: str) -> list[IndicatorSpec]:
    """The region's active indicators, in order: its own list, or the four standard ones."""
    rows = db.session.scalars(
        sa.select(Indicator).where(Indicator.org_path == region_path).order_by(Indicator.position, Indicator.id)
    ).all()
    if not rows:
        return list(STANDARD_INDICATORS)
    return [IndicatorSpec(r.code, r.name, r.numerator_fact, r.denominator_fact) for r in rows if not r.retired]


def region_figures(region_id: int, year: int) -> dict[str, int | None]:
    """The region's own reference figures for ``year`` by denominator fact (None: no figure)."""
    row = db.session.scalar(sa.select(RegionFigure).where(RegionFigure.org_id == region_id, RegionFigure.year == year))
    return {
        code: getattr(row, fact.region_figure) if row is not None and fact.region_figure else None
        for code, fact in DENOMINATOR_FACTS.items()
    }


def aggregate_period(period_id: int, freeze: bool = True) -> bool:
    """Count, roll up and freeze ``period_id``. False if it was frozen already (nothing done).

    ``freeze=False`` is the *provisional* count of a period whose reference date is still
    ahead: the same statements (ages and the year window at the coming reference date), the
    period left pending, so the dashboards show where the region stands without scanning raw
    rows per request; the aggregation on the reference date replaces and freezes it."""
    with unscoped(LABEL):
        try:
            return _aggregate(period_id, freeze)
        except Exception as exc:
            db.session.rollback()
            _record_failure(period_id, exc)
            raise
        finally:
            db.session.remove()


def _aggregate(period_id: int, freeze: bool = True) -> bool:
    session = db.session
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(ADVISORY_NAMESPACE, period_id)))
    else:  # SQLite: this first write takes the database's write lock for the whole run
        session.execute(sa.update(T).where(T.c.id == period_id, T.c.status != "frozen").values(status="running"))
    row = session.execute(
        sa.select(T.c.status, T.c.reference_date, T.c.org_id, Organization.path)
        .join(Organization, Organization.id == T.c.org_id)
        .where(T.c.id == period_id)
    ).one_or_none()
    if row is None:
        raise MonitoringError("period_missing")
    if row.status == "frozen":
        session.rollback()
        return False
    ctx = FactContext(region_path=row.path, ref=row.reference_date)
    indicators = region_indicators(row.path)
    figures = region_figures(row.org_id, row.reference_date.year)

    progress = _Progress(period_id, separate=dialect == "postgresql")
    progress.start(len(indicators) + 1)  # + the pairs by form
    session.execute(sa.delete(MetricSnapshot.__table__).where(MetricSnapshot.__table__.c.period_id == period_id))
    for indicator in indicators:
        session.execute(monitoring_sql.school_rows(dialect, period_id, ctx, indicator))
        session.execute(monitoring_sql.municipal_rows(dialect, period_id, ctx, indicator))
        session.execute(monitoring_sql.region_rows(dialect, period_id, row.org_id, indicator,
                                                   figures.get(indicator.denominator)))
        progress.step()
    session.execute(monitoring_sql.school_form_rows(dialect, period_id, ctx))
    session.execute(monitoring_sql.municipal_form_rows(dialect, period_id, ctx))
    session.execute(monitoring_sql.region_form_rows(dialect, period_id, row.org_id))
    progress.step()
    now = utcnow()
    final = {"status": "frozen", "frozen_at": now} if freeze else {"status": "pending", "provisional_at": now}
    session.execute(
        sa.update(T).where(T.c.id == period_id)
        .values(**final, done=T.c.total, runs=T.c.runs + 1, last_error=None, updated_at=now)
    )
    session.commit()
    log.info("monitoring period %s (%s) aggregated: %s indicators", period_id, row.reference_date, len(indicators))
    return True


class _Progress:
    """``total``/``done`` of the period. On PostgreSQL each update is its own short
    transaction on another connection, visible while the run goes on; SQLite has one writer,
    so there the updates ride in the run's transaction."""

    def __init__(self, period_id: int, separate: bool):
        self.period_id = period_id
        self.separate = separate

    def _write(self, **values) -> None:
        stmt = sa.update(T).where(T.c.id == self.period_id, T.c.status != "frozen").values(updated_at=utcnow(), **values)
        if self.separate:
            with db.engine.begin() as conn:
                conn.execute(stmt)
        else:
            db.session.execute(stmt)

    def start(self, total: int) -> None:
        # A run under way is no longer held for the ministry: if it dies, the tick catches up.
        self._write(status="running", started_at=utcnow(), total=total, done=0, unfrozen_at=None)

    def step(self) -> None:
        self._write(done=T.c.done + 1)


def _record_failure(period_id: int, exc: Exception) -> None:
    try:
        with db.engine.begin() as conn:
            conn.execute(
                sa.update(T).where(T.c.id == period_id, T.c.status != "frozen")
                .values(status="pending", last_error=f"{type(exc).__name__}: {exc}"[:2000], updated_at=utcnow())
            )
    except Exception:  # noqa: BLE001 - the original error matters more
        log.exception("could not record the failure of monitoring period %s", period_id)


# -- the ministry's actions ---------------------------------------------------------------

def unfreeze(period: MonitoringPeriod, reason: str, user) -> MonitoringPeriod:
    """Reopen a frozen period (with a reason, audited). The snapshots stay until a re-run
    replaces them; the daily tick holds off an unfrozen period until the ministry asks for
    the re-run (``request_rerun``), so schools can correct their data first. The caller commits."""
    reason = (reason or "").strip()
    if not reason:
        raise MonitoringError("reason_required", "reason")
    if period.status != "frozen":
        raise MonitoringError("not_frozen")
    period.status = "pending"
    period.unfrozen_at = utcnow()
    audit.record("monitoring.unfrozen", org=_owner(period), obj=period, user=user,
                 details={"reason": reason, "reference_date": period.reference_date.isoformat()})
    return period


def request_rerun(period: MonitoringPeriod, user) -> MonitoringPeriod:
    """Check that ``period`` may be re-run and audit the request; the caller commits, then
    enqueues ``nastavnik.monitoring.aggregate`` (after the commit)."""
    if period.status == "frozen":
        raise MonitoringError("frozen")
    period.unfrozen_at = None  # no longer held: the daily tick catches up if the run dies
    audit.record("monitoring.rerun", org=_owner(period), obj=period, user=user,
                 details={"reference_date": period.reference_date.isoformat()})
    return period


def _owner(period: MonitoringPeriod) -> Organization:
    return db.session.get(Organization, period.org_id)


def snapshot_rows(period_id: int) -> list[tuple]:
    """(org_id, indicator_code, numerator, denominator, value) of a period, sorted — for
    comparisons and exports; reads through the current scope."""
    return [
        tuple(r) for r in db.session.execute(
            sa.select(MetricSnapshot.org_id, MetricSnapshot.indicator_code, MetricSnapshot.numerator,
                      MetricSnapshot.denominator, MetricSnapshot.value)
            .where(MetricSnapshot.period_id == period_id)
            .order_by(MetricSnapshot.org_id, MetricSnapshot.indicator_code)
        )
    ]


def reference_date_of(period_id: int) -> date | None:
    return db.session.scalar(sa.select(MonitoringPeriod.reference_date).where(MonitoringPeriod.id == period_id))
