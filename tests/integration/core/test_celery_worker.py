"""A real Celery worker process runs the health tasks, against Redis and on the embedded default.

The worker is started exactly as production and ``make run`` start it (``celery -A
make_celery worker``), configured only through environment variables; the test process
plays the web side: it builds the schema and the tenant tree in the same database, sends
tasks through the broker and reads the results from the result backend.
"""
from __future__ import annotations

import pytest

import config
from config import settings
from tenants.context import TenantScopeError
from tests.conftest import service_url
from tests.integration.conftest import CONFIG_VARS, schema_and_tree


def _send(celery_app, name: str, *args):
    return celery_app.send_task(name, args=list(args))


# -- Redis broker and result backend, PostgreSQL database (production shape) -------------------

def test_worker_runs_health_tasks_over_redis_and_postgresql(fresh_pg_url, extra_app, start_worker):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()  # no leftovers from earlier tests on this server
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)

    worker = start_worker(DATABASE_URL=fresh_pg_url, REDIS_URL=redis_url)

    ping = worker.wait(_send(celery_app, "nastavnik.health.ping"))
    value = ping.get(timeout=5)
    assert value["pong"] is True
    assert value["db_time"]
    assert ping.state == "SUCCESS"

    expected = {"r1m1s1": 2, "r2m2s2": 2, "r1m1": 2 + 2 * 2, "r1": 2 + 2 * (2 + 2 * 2)}
    results = {key: _send(celery_app, "nastavnik.health.count_members", tree.ids[key]) for key in expected}
    counts = {key: worker.wait(result).get(timeout=5) for key, result in results.items()}
    # Only a worker reading the database the tree was written to, in each org's scope, gets these.
    assert counts == expected

    no_tenant = worker.wait(_send(celery_app, "nastavnik.health.count_members", None))
    assert no_tenant.state == "FAILURE"
    with pytest.raises(TenantScopeError, match="needs an org_id"):
        no_tenant.get(timeout=5)

    missing = worker.wait(_send(celery_app, "nastavnik.health.count_members", max(tree.ids.values()) + 1000))
    assert missing.state == "FAILURE"
    with pytest.raises(TenantScopeError, match="does not exist"):
        missing.get(timeout=5)


# -- Embedded default: no Redis, Kombu's SQLAlchemy transport and the database result backend ---

@pytest.mark.parametrize("explicit", [False, True], ids=["instance-dir-defaults", "celery-env-vars"])
def test_worker_runs_on_embedded_default(tmp_path, monkeypatch, extra_app, start_worker, explicit):
    for name in CONFIG_VARS:
        monkeypatch.delenv(name, raising=False)
    variables: dict[str, str] = {}
    if explicit:
        variables = {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite'}",
            "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
            "CELERY_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        }
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
    # The same settings the worker will compute from NASTAVNIK_INSTANCE_DIR=tmp_path.
    monkeypatch.setattr(settings, "INSTANCE_DIR", tmp_path)
    dev = config.DevelopmentConfig()
    assert dev.CELERY["broker_url"].startswith("sqla+sqlite:///" + str(tmp_path))
    assert dev.CELERY["result_backend"].startswith("db+sqlite:///" + str(tmp_path))
    assert dev.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///" + str(tmp_path))

    app = extra_app(dev, PASSWORD_HASH_FAST=True)  # the tree's 29 users; the worker hashes nothing
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)

    # Send before the worker starts: the producer creates the broker's tables and the queue,
    # and reading a state creates the result tables, so the two processes never race to.
    ping = _send(celery_app, "nastavnik.health.ping")
    count = _send(celery_app, "nastavnik.health.count_members", tree.ids["r1m1"])
    assert ping.state == "PENDING"

    worker = start_worker(**variables)
    value = worker.wait(ping).get(timeout=5)
    assert value["pong"] is True and value["db_time"]
    assert worker.wait(count).get(timeout=5) == 6

    for name in ("broker.sqlite", "results.sqlite") if explicit else ("celery-broker.sqlite", "celery-results.sqlite"):
        assert (tmp_path / name).exists()
