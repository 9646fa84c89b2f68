"""/healthz reports the database and the Celery broker, and fails when either is unreachable."""
from __future__ import annotations

import time

import pytest

import config
from tests.conftest import service_url
from tests.support.services import free_port


@pytest.fixture
def health_app(extra_app):
    """``health_app(database_url, broker_url)``: an app whose /healthz checks those two."""

    def _make(database_url: str, broker_url: str):
        settings = config.TestingConfig()
        celery_settings = dict(settings.CELERY, broker_url=broker_url)
        return extra_app(settings, SQLALCHEMY_DATABASE_URI=database_url, CELERY=celery_settings)

    return _make


def _get_health(app):
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    return response, time.monotonic() - started


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_healthy_with_reachable_database_and_redis(health_app, database):
    database_url = service_url("postgres") if database == "postgresql" else "sqlite://"
    app = health_app(database_url, service_url("redis"))
    response, _ = _get_health(app)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": True, "broker": True}
    assert database not in response.get_data(as_text=True)  # a public endpoint names no software


def test_unhealthy_when_broker_port_is_closed(health_app):
    app = health_app("sqlite://", f"redis://127.0.0.1:{free_port()}/0")
    response, elapsed = _get_health(app)
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] is True
    assert body["checks"]["broker"] is False
    assert elapsed < 15, f"/healthz took {elapsed:.1f}s to notice a dead broker"


def test_unhealthy_when_database_port_is_closed(health_app):
    dead_database = f"postgresql+psycopg://nastavnik@127.0.0.1:{free_port()}/nastavnik"
    app = health_app(dead_database, service_url("redis"))
    response, _ = _get_health(app)
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] is False
    assert body["checks"]["broker"] is True
