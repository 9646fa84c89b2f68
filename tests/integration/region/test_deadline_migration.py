"""Migration 0019 moves each region's one pair of report deadlines to the reference date it
belongs to and re-dates the open reports (never into the past), on SQLite and PostgreSQL; and
back. (The schema itself is compared with the models by tests/integration/core/test_migrations.py.)"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import flask_migrate
import pytest
import sqlalchemy as sa

import config
from core.extensions import db
from factory import create_app

BEFORE, AFTER = "0018_pair_corrections", "0019_period_deadlines"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _table(conn, name):
    return sa.Table(name, sa.MetaData(), autoload_with=conn)


def _org(conn, org_id, kind, path, parent=None):
    conn.execute(sa.insert(_table(conn, "organizations")).values(
        id=org_id, kind=kind, name=f"org {org_id}", path=path, parent_id=parent, is_active=True,
        created_at=NOW, updated_at=NOW))


def _world(conn, future: date):
    """Three regions: old defaults, changed deadlines (15 January for the schools, 1 December for
    the bodies), no settings at all; a December period each with open and submitted reports."""
    for rid in (1, 2, 3):
        _org(conn, rid, "ministry", f"/{rid}/")
        _org(conn, rid * 10, "municipality", f"/{rid}/{rid * 10}/", rid)
        _org(conn, rid * 100, "school", f"/{rid}/{rid * 10}/{rid * 100}/", rid * 10)
    settings = _table(conn, "region_settings")
    conn.execute(sa.insert(settings), [
        {"org_id": 1, "org_path": "/1/", "municipal_roadmaps_need_approval": False, "created_at": NOW,
         "updated_at": NOW, "school_report_month": 11, "school_report_day": 20, "municipal_report_month": 11,
         "municipal_report_day": 30},
        {"org_id": 2, "org_path": "/2/", "municipal_roadmaps_need_approval": False, "created_at": NOW,
         "updated_at": NOW, "school_report_month": 1, "school_report_day": 15, "municipal_report_month": 12,
         "municipal_report_day": 1},
    ])
    periods, reports = _table(conn, "monitoring_periods"), _table(conn, "reports")
    reference = date(future.year - 1, 12, 20)  # its new deadlines lie ahead of today
    for rid in (1, 2, 3):
        conn.execute(sa.insert(periods).values(id=rid, org_id=rid, org_path=f"/{rid}/", reference_date=reference,
                                               status="frozen", done=0, total=0, runs=1,
                                               created_at=NOW, updated_at=NOW))
        for org_id, kind, status in ((rid * 100, "school", "draft"), (rid * 10, "municipal", "submitted")):
            conn.execute(sa.insert(reports).values(
                org_id=org_id, org_path=f"/{rid}/{rid * 10}/" + (f"{rid * 100}/" if kind == "school" else ""),
                period_id=rid, kind=kind, status=status, due_on=date(reference.year + 1, 11, 20), version=1,
                created_at=NOW, updated_at=NOW))
    return reference


@pytest.mark.parametrize("backend_url", ["sqlite", "postgresql"])
def test_deadlines_move_to_their_reference_date(backend_url, tmp_path, request):
    url = (f"sqlite:///{tmp_path / 'm.sqlite'}" if backend_url == "sqlite"
           else request.getfixturevalue("fresh_pg_url"))
    app = create_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=url)
    today = date.today()
    future = today + timedelta(days=400)  # a year whose 20 January has not come yet
    future = date(future.year, 1, 1) if future.month > 1 else future
    with app.app_context():
        try:
            flask_migrate.upgrade(revision=BEFORE)
            with db.engine.begin() as conn:
                reference = _world(conn, future)
            flask_migrate.upgrade(revision=AFTER)
            with db.engine.connect() as conn:
                rows = {r.org_id: r for r in conn.execute(sa.select(_table(conn, "region_settings"))).all()}
                reports = _table(conn, "reports")
                due = dict(conn.execute(sa.select(reports.c.org_id, reports.c.due_on)).all())
            # the old defaults: the default rule in both rounds
            assert all(getattr(rows[1], f"{k}_report_{p}_{n}") is None
                       for k in ("school", "municipal") for p in ("month", "day") for n in (1, 2))
            # 15 January belongs to the December round, 1 December to June's
            assert (rows[2].school_report_month_2, rows[2].school_report_day_2) == (1, 15)
            assert (rows[2].municipal_report_month_1, rows[2].municipal_report_day_1) == (12, 1)
            assert rows[2].school_report_month_1 is None and rows[2].municipal_report_month_2 is None
            year = reference.year + 1
            assert due[100] == date(year, 1, 20) and due[300] == date(year, 1, 20)  # defaults: a month after
            assert due[200] == date(year, 1, 15)  # the region's own
            assert due[10] == due[20] == due[30] == date(year, 11, 20)  # submitted: untouched
            flask_migrate.downgrade(revision=BEFORE)
            with db.engine.connect() as conn:
                old = {r.org_id: r for r in conn.execute(sa.select(_table(conn, "region_settings"))).all()}
            assert (old[1].school_report_month, old[1].school_report_day) == (11, 20)
            assert (old[2].municipal_report_month, old[2].municipal_report_day) == (12, 1)
        finally:
            db.session.remove()
            db.engine.dispose()
