"""The monitoring tick and aggregation through real workers, Redis and PostgreSQL.

Two ``celery -A make_celery worker`` processes share a fresh PostgreSQL database and a Redis
broker with the test process, which plays the beat. The tick creates each region's period
for the reference date and enqueues its aggregation; the workers count, roll up and freeze.
A repeated tick creates and changes nothing; two aggregations of one period sent at once
write one set of rows; a run after a worker died mid-run (half the rows gone, the period
left running) restores the full set.
"""
from __future__ import annotations

import time
from datetime import date

import pytest
import sqlalchemy as sa

import config
from core.extensions import db
from mentorship.monitoring.aggregation import request_rerun, unfreeze
from mentorship.monitoring.models import MetricSnapshot, MonitoringPeriod
from tenants.context import unscoped
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.integration.roadmaps.test_roadmap_reminders_worker import _wait_for_workers
from tests.support.monitoring import SchoolFacts

TICK = "nastavnik.monitoring.tick"
AGGREGATE = "nastavnik.monitoring.aggregate"
ROWS_PER_REGION = (4 + 2 + 1) * 4  # schools, municipal bodies, the region × four indicators
# plus the pairs by form, only where pairs were active (none at 20 December 2025: they start in
# September 2026): in r1 two forms (a school, r1m1 and r1 each), in r2 one (r2m1s1, r2m1, r2)
R1_BY_FORM, R2_BY_FORM = 2 * 3, 1 * 3
STEPS = 4 + 1  # progress: four indicators, then the pairs by form


def _periods(app) -> dict[int, tuple]:
    with app.app_context(), unscoped("tests.monitoring"):
        rows = db.session.execute(sa.select(
            MonitoringPeriod.id, MonitoringPeriod.org_id, MonitoringPeriod.reference_date, MonitoringPeriod.status,
            MonitoringPeriod.done, MonitoringPeriod.total)).all()
        db.session.remove()
    return {r.id: tuple(r[1:]) for r in rows}


def _snapshots(app, period_id: int) -> list[tuple]:
    with app.app_context(), unscoped("tests.monitoring"):
        rows = db.session.execute(
            sa.select(MetricSnapshot.org_id, MetricSnapshot.indicator_code, MetricSnapshot.numerator,
                      MetricSnapshot.denominator, MetricSnapshot.value)
            .where(MetricSnapshot.period_id == period_id)
            .order_by(MetricSnapshot.org_id, MetricSnapshot.indicator_code)).tuples().all()
        db.session.remove()
    return rows


def _wait_frozen(app, workers, timeout: float = 60) -> dict[int, tuple]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        periods = _periods(app)
        if periods and all(p[2] == "frozen" for p in periods.values()):
            return periods
        for worker in workers:
            if worker.process.poll() is not None:
                pytest.fail(f"a worker exited:\n{worker.log_tail()}", pytrace=False)
        time.sleep(0.2)
    pytest.fail("periods not frozen in time:\n" + "\n".join(w.log_tail() for w in workers), pytrace=False)


def test_tick_and_aggregation_through_real_workers(fresh_pg_url, extra_app, start_worker):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)
    with app.app_context():
        with SchoolFacts(tree, "r1m1s1") as s:  # 2 of 10 pupils aged 10–19
            s.contingent(2026, pupils_10_19=10, pupils_15_19=4, teachers=6, young_specialists=2)
            s.pair(s.teacher(), [s.pupil(date(2012, 1, 1)), s.pupil(date(2013, 1, 1))])
        with SchoolFacts(tree, "r1m1s2") as s:  # 1 of 40
            s.contingent(2026, pupils_10_19=40, pupils_15_19=10)
            s.pair(s.pupil(date(2009, 1, 1)), [s.pupil(date(2014, 1, 1))], form="pupil_pupil")
        with SchoolFacts(tree, "r2m1s1") as s:
            s.contingent(2026, pupils_10_19=5)
            s.pair(s.teacher(), [s.pupil(date(2012, 1, 1))])

    env = {"DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url}
    workers = [start_worker(**env), start_worker(**env)]
    _wait_for_workers(celery_app, 2, workers)
    first = workers[0]

    # 19 June 2026: the latest reference date is 20 December 2025 — a catch-up for both regions.
    catch_up = first.wait(celery_app.send_task(TICK, kwargs={"today": "2026-06-19"})).get(timeout=5)
    assert len(catch_up) == 2
    periods = _periods(app)
    assert {(p[0], p[1]) for p in periods.values()} == {(tree.ids["r1"], date(2025, 12, 20)),
                                                       (tree.ids["r2"], date(2025, 12, 20))}
    _wait_frozen(app, workers)

    due = first.wait(celery_app.send_task(TICK, kwargs={"today": "2026-12-20"})).get(timeout=5)
    assert len(due) == 2
    periods = _wait_frozen(app, workers)
    [r1_period] = [pid for pid, p in periods.items() if p[:2] == (tree.ids["r1"], date(2026, 12, 20))]
    assert periods[r1_period][2:] == ("frozen", STEPS, STEPS)
    rows = _snapshots(app, r1_period)
    assert len(rows) == ROWS_PER_REGION + R1_BY_FORM
    by_key = {(org, code): (num, den, value) for org, code, num, den, value in rows}
    assert by_key[(tree.ids["r1m1"], "mentees_10_19")] == (3, 50, 6.0)  # Σ / Σ, not the mean of 20 % and 2.5 %
    assert by_key[(tree.ids["r1m1s2"], "mentors_15_19")] == (1, 10, 10.0)
    assert by_key[(tree.ids["r1"], "pairs_by_form:pupil_pupil")] == (1, 0, None)

    # A repeated tick (a second beat, a retry) creates and changes nothing.
    again = first.wait(celery_app.send_task(TICK, kwargs={"today": "2026-12-20"})).get(timeout=5)
    assert again == []
    assert _periods(app) == periods

    # Two aggregations of one (unfrozen) period at once, in two workers: one set of rows.
    with app.app_context(), unscoped("tests.monitoring"):
        period = db.session.get(MonitoringPeriod, r1_period)
        unfreeze(period, "проверка", None)
        request_rerun(period, None)
        db.session.commit()
        db.session.remove()
    results = [celery_app.send_task(AGGREGATE, args=[tree.ids["r1"], r1_period]) for _ in range(2)]
    outcomes = sorted(first.wait(r).get(timeout=5) for r in results)
    assert outcomes == [False, True]
    assert _snapshots(app, r1_period) == rows

    # A worker died mid-run: half the rows gone, the period left running. The next run restores all.
    with app.app_context(), unscoped("tests.monitoring"):
        ids = db.session.scalars(sa.select(MetricSnapshot.id).where(MetricSnapshot.period_id == r1_period)).all()
        db.session.execute(sa.delete(MetricSnapshot).where(MetricSnapshot.id.in_(ids[::2])))
        db.session.execute(sa.update(MonitoringPeriod).where(MonitoringPeriod.id == r1_period)
                           .values(status="running", done=1))
        db.session.commit()
        db.session.remove()
    assert first.wait(celery_app.send_task(TICK, kwargs={"today": "2026-12-21"})).get(timeout=5) == [r1_period]
    _wait_frozen(app, workers)
    assert _snapshots(app, r1_period) == rows

    with app.app_context(), unscoped("tests.monitoring"):
        total = db.session.scalar(sa.select(sa.func.count()).select_from(MetricSnapshot))
        db.session.remove()
    assert total == 4 * ROWS_PER_REGION + R1_BY_FORM + R2_BY_FORM  # two periods × two regions, no duplicates
    logs = "\n".join(w.log_tail(400) for w in workers)
    assert "Traceback" not in logs, logs
