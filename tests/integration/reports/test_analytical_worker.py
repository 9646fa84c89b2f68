"""The analytical report built by real workers (``celery -A make_celery worker``, configured by
environment variables only) over Redis into PostgreSQL.

The test process aggregates a small region and requests the report through the domain; a
worker builds it — the progress the status page reads grows to the total and the DOCX and
XLSX are stored — and then the task sent twice more at once to two workers (a redelivered,
duplicated message) changes nothing."""
from __future__ import annotations

import io
import time
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

import config
from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.reports.analytical.build import request_report
from tenants.context import tenant_scope
from tenants.models import Organization
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.integration.people.test_import_worker import _wait_for_workers
from tests.support.monitoring import SchoolFacts, make_period

TASK = "nastavnik.analytical.build"


def _region(app, tree) -> int:
    with app.app_context():
        for key, pupils in (("r1m1s1", 40), ("r1m2s1", 60)):
            with SchoolFacts(tree, key) as s:
                s.contingent(2026, pupils_10_19=pupils, pupils_15_19=pupils // 2)
                s.pair(s.teacher(), [s.pupil(date(2012, 1, 1)), s.pupil(date(2011, 5, 5))])
        period_id = make_period(tree.ids["r1"], date(2026, 12, 20))
        assert aggregate_period(period_id)
        with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
            report = request_report(db.session.get(Organization, tree.ids["r1"]), period_id, None)
            db.session.commit()
            report_id = report.id
            db.session.remove()
    return report_id


def test_a_report_is_built_once_by_real_workers(fresh_pg_url, extra_app, start_worker):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)
    report_id = _region(app, tree)
    org_id = tree.ids["r1"]

    env = {"DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url}
    workers = [start_worker(**env), start_worker(**env)]
    _wait_for_workers(celery_app, 2, workers)

    reader = sa.create_engine(fresh_pg_url, poolclass=sa.pool.NullPool)
    query = sa.text("SELECT status, done, total FROM analytical_reports WHERE id = :id")
    try:
        result = celery_app.send_task(TASK, args=[org_id, report_id])
        observed = []
        deadline = time.monotonic() + 120
        while not result.ready():
            if time.monotonic() > deadline:
                pytest.fail("no result in 120 s:\n" + "\n".join(w.log_tail() for w in workers), pytrace=False)
            for worker in workers:
                if worker.process.poll() is not None:
                    pytest.fail(f"a worker exited:\n{worker.log_tail()}", pytrace=False)
            with reader.connect() as conn:
                observed.append(tuple(conn.execute(query, {"id": report_id}).one()))
            time.sleep(0.01)
        assert result.get(timeout=5) == "done"

        with reader.connect() as conn:
            final = conn.execute(sa.text("SELECT status, done, total, docx, xlsx, finished_at, error "
                                         "FROM analytical_reports WHERE id = :id"), {"id": report_id}).one()
        assert (final.status, final.done, final.total, final.error) == ("done", 7, 7, None)
        text = "\n".join(p.text for p in Document(io.BytesIO(final.docx)).paragraphs)
        assert "Информационно-аналитическая справка" in text and "Министерство 1" in text
        assert len(Document(io.BytesIO(final.docx)).inline_shapes) == 2
        assert "Показатели" in load_workbook(io.BytesIO(final.xlsx)).sheetnames

        # progress as the status page saw it: never backwards, only these states
        done = [d for _s, d, _t in observed]
        assert done == sorted(done)
        assert {s for s, _d, _t in observed} <= {"queued", "running", "done"}

        # the same message twice more, at once, to two workers: nothing changes
        again = [celery_app.send_task(TASK, args=[org_id, report_id]) for _ in range(2)]
        assert [workers[0].wait(r).get(timeout=5) for r in again] == ["done", "done"]
        with reader.connect() as conn:
            after = conn.execute(sa.text("SELECT status, docx, finished_at FROM analytical_reports WHERE id = :id"),
                                 {"id": report_id}).one()
            count = conn.execute(sa.text("SELECT count(*) FROM analytical_reports")).scalar()
        assert (after.status, after.docx, after.finished_at) == ("done", final.docx, final.finished_at)
        assert count == 1
    finally:
        reader.dispose()
    logs = "\n".join(w.log_tail(400) for w in workers)
    assert "Traceback" not in logs, logs
