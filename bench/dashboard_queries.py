"""The ministry dashboard's SQL query count and render time at 10 and at 2,000 schools.

Dashboards read the periods' snapshots with a fixed number of set-based queries
(mentorship/reports/dashboards.py), so the count must be the same for both regions; the render time
should barely grow (the municipal table has one row per municipal body, about 50 here).

Each region is a synthetic one (demo/synthetic_region.py, five participants a school),
with two periods aggregated and frozen by the real aggregation, a report per school, and a
ministry admin who signs in. Prints figures, asserts nothing; tests/web/reports/test_dashboards.py
asserts the equal counts. Runs on SQLite and, when its binaries are present, on a throwaway
PostgreSQL (tests/support/services.py), or on DATABASE_URL.

Usage: ``python -m bench.dashboard_queries [--schools 2000] [--repeats 10]``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

import sqlalchemy as sa
from sqlalchemy import event

PERIODS = (date(2026, 6, 20), date(2026, 12, 20))
URL = "/monitoring/dashboard"


def build_region(schools: int, seed: int, periods=PERIODS) -> str:
    """A synthetic region of ``schools`` schools with frozen periods and reports; returns the
    e-mail of its ministry admin (password: tests.support.factories.PASSWORD)."""
    from core.extensions import db
    from demo.synthetic_region import generate
    from mentorship.monitoring.aggregation import aggregate_period
    from mentorship.reports.models import Report
    from tenants.context import unscoped
    from tenants.models import Organization
    from tenants.roles import Role
    from tests.support.factories import make_member
    from tests.support.monitoring import make_period

    region = generate(schools=schools, participants=5 * schools, seed=seed, as_of=periods[-1],
                      name=f"Bench dashboard {seed}-{schools}-{time.time_ns()}")
    period_ids = [make_period(region.ministry_id, ref) for ref in periods]
    for period_id in period_ids:
        assert aggregate_period(period_id)
    email = f"dashboard-{seed}-{schools}-{time.time_ns()}@bench.ru"
    with unscoped("bench.dashboard_queries"):
        low, high = region.ministry_path, region.ministry_path[:-1] + "0"
        orgs = db.session.execute(
            sa.select(Organization.id, Organization.path, Organization.kind)
            .where(Organization.path >= low, Organization.path < high, Organization.kind != "ministry")
        ).all()
        statuses = ("draft", "submitted", "returned", "accepted")
        db.session.execute(Report.__table__.insert(), [
            {"org_id": oid, "org_path": path, "period_id": period_ids[-1],
             "kind": "school" if kind == "school" else "municipal", "status": statuses[i % 4],
             "due_on": date(2027, 1, 10), "version": 1}
            for i, (oid, path, kind) in enumerate(orgs)
        ])
        make_member(email, db.session.get(Organization, region.ministry_id), Role.MINISTRY_ADMIN)
        db.session.commit()
        db.session.remove()
    return email


class QueryCounter:
    """Counts the statements sent to the database while active (``with QueryCounter(engine) as c``)."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _count(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def signed_in_client(app, email: str):
    from tests.conftest import csrf_token_from
    from tests.support.factories import PASSWORD

    client = app.test_client()
    page = client.get("/auth/login")
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD,
                                                "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def measure(app, email: str, repeats: int = 1) -> tuple[int, float, int]:
    """(queries of one page, median render time in ms, bytes) of the ministry dashboard."""
    from core.extensions import db

    client = signed_in_client(app, email)
    client.get(URL)  # warm the statement caches
    with app.app_context():
        engine = db.engine
    times, counts, size = [], set(), 0
    for _ in range(repeats):
        with QueryCounter(engine) as counter:
            started = time.perf_counter()
            response = client.get(URL)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        counts.add(counter.count)
        size = len(response.data)
    assert len(counts) == 1, f"the query count varies between requests: {counts}"
    return counts.pop(), statistics.median(times), size


def _run(label: str, url: str, sizes: list[int], repeats: int) -> None:
    from config import TestingConfig
    from core.extensions import db
    from factory import create_app

    app = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url, SERVER_NAME="nastavnik.test")
    with app.app_context():
        db.create_all()
        users = {}
        for i, schools in enumerate(sizes):
            started = time.perf_counter()
            users[schools] = build_region(schools, seed=100 + i)
            print(f"{label}: region of {schools:,} schools built and aggregated in {time.perf_counter() - started:.1f} s")
    results = {schools: measure(app, email, repeats) for schools, email in users.items()}
    for schools, (queries, ms, size) in results.items():
        print(f"{label}: ministry dashboard at {schools:>5,} schools: {queries} queries, "
              f"{ms:.1f} ms (median of {repeats}), {size / 1024:.0f} KiB")
    counts = {q for q, _, _ in results.values()}
    small, large = results[sizes[0]], results[sizes[-1]]
    print(f"{label}: query counts {'EQUAL' if len(counts) == 1 else 'DIFFER'}; render time "
          f"{sizes[-1]:,} / {sizes[0]:,} schools: {large[1] / small[1]:.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    sizes = [10, args.schools]
    _run("SQLite", "sqlite://", sizes, args.repeats)
    url, server = os.environ.get("DATABASE_URL"), None
    if not url:
        from tests.support.services import ServiceUnavailable, start_postgres

        try:
            server = start_postgres()
            url = server.url
        except ServiceUnavailable as exc:
            print(f"PostgreSQL: not run ({exc})")
            return
    try:
        _run("PostgreSQL", url, sizes, args.repeats)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
