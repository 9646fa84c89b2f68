"""A 2,000-row participants file imported by real workers (``celery -A make_celery worker``,
configured by environment variables only) over Redis into PostgreSQL.

The test process uploads and confirms the file through the domain, then sends the task twice
at once to two workers (a duplicated message): the file is imported exactly once, all rows in
one transaction; the progress the status page reads grows to the total; a third run later
changes nothing.
"""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

import config
from core.clock import region_today
from core.extensions import db
from mentorship.people.imports.batches import create_batch, queue_batch
from tenants.context import tenant_scope
from tenants.models import Organization, User
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.unit.people.test_imports import csv_file, person, teacher

TASK = "nastavnik.imports.run"
ROWS = 2000


def _wait_for_workers(celery_app, count: int, workers, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in workers:
            if worker.process.poll() is not None:
                pytest.fail(f"a worker exited:\n{worker.log_tail()}", pytrace=False)
        if len(celery_app.control.ping(timeout=0.5) or []) >= count:
            return
    pytest.fail("the workers did not come up:\n" + "\n".join(w.log_tail() for w in workers), pytrace=False)


def test_a_2000_row_file_is_imported_once_by_real_workers(fresh_pg_url, extra_app, start_worker):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]

    rows = [teacher(i) if i % 10 == 0 else person(i) for i in range(ROWS)]
    with app.app_context(), tenant_scope(org_id, path):
        org = db.session.get(Organization, org_id)
        user = db.session.get(User, tree.users["r1m1s1.staff"].id)
        batch = create_batch(org, user, "people.csv", csv_file(rows), region_today())
        assert batch.status == "valid", batch.errors[:5]
        queue_batch(batch)
        db.session.commit()
        batch_id = batch.id
        db.session.remove()

    env = {"DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url}
    workers = [start_worker(**env), start_worker(**env)]
    _wait_for_workers(celery_app, 2, workers)

    reader = sa.create_engine(fresh_pg_url, poolclass=sa.pool.NullPool)
    try:
        results = [celery_app.send_task(TASK, args=[org_id, batch_id]) for _ in range(2)]
        observed = []
        deadline = time.monotonic() + 120
        while not all(r.ready() for r in results):
            if time.monotonic() > deadline:
                pytest.fail("no result in 120 s:\n" + "\n".join(w.log_tail() for w in workers), pytrace=False)
            for worker in workers:
                if worker.process.poll() is not None:
                    pytest.fail(f"a worker exited:\n{worker.log_tail()}", pytrace=False)
            with reader.connect() as conn:
                observed.append(tuple(conn.execute(
                    sa.text("SELECT status, processed FROM import_batches WHERE id = :id"), {"id": batch_id}).one()))
            time.sleep(0.02)
        outcomes = sorted((r.get(timeout=5)["status"], r.get(timeout=5)["imported"]) for r in results)
        assert outcomes == [("done", 0), ("done", ROWS)]

        with reader.connect() as conn:
            final = conn.execute(sa.text("SELECT status, processed, total, length(data) FROM import_batches "
                                         "WHERE id = :id"), {"id": batch_id}).one()
            counts = [conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE org_id = :org"), {"org": org_id})
                      .scalar() for table in ("participants", "consents", "mentor_profiles", "mentee_profiles")]
            audits = conn.execute(sa.text("SELECT details FROM audit_events WHERE action = 'import.completed'")).all()
        assert tuple(final) == ("done", ROWS, ROWS, 0)
        assert counts == [ROWS, ROWS, ROWS // 10, ROWS - ROWS // 10]
        assert [a.details["count"] for a in audits] == [ROWS]

        # progress as the status page saw it: never backwards, ending at the total
        processed = [p for _status, p in observed]
        assert processed == sorted(processed)
        assert {s for s, _p in observed} <= {"queued", "running", "done"}

        again = workers[0].wait(celery_app.send_task(TASK, args=[org_id, batch_id])).get(timeout=5)
        assert again == {"status": "done", "imported": 0}
        with reader.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM participants")).scalar() == ROWS
    finally:
        reader.dispose()
    logs = "\n".join(w.log_tail(400) for w in workers)
    assert "Traceback" not in logs, logs
