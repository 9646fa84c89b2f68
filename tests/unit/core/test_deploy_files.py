"""docker-compose.yml cannot run here (no Docker engine), so it is kept right by checks:
the services and health checks exist, every variable it sets is one the settings read, the
production settings accept its environment, and PostgreSQL's major version is the one CI
tests against."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from config import ProductionConfig
from tests.support.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (ROOT / "config" / "settings.py").read_text()


def _resolve(value: str) -> str:
    # ${NAME:?msg} / ${NAME:-default} → a representative value
    def sub(match):
        name, _, rest = match.group(1).partition(":")
        if rest.startswith("-"):
            return rest[1:]
        return {"SECRET_KEY": "k" * 40, "POSTGRES_PASSWORD": "pw",
                "PUBLIC_BASE_URL": "https://nastavnik.example.org"}.get(name, "x")

    return re.sub(r"\$\{([^}]+)\}", sub, str(value))


def test_services_and_health_checks():
    services = COMPOSE["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    assert services["db"]["image"] == "postgres:15" and services["redis"]["image"] == "redis:7"
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["web"]["command"][0] == "gunicorn" and "wsgi:app" in services["web"]["command"]
    for name in ("worker", "beat"):
        assert services[name]["command"][:3] == ["celery", "-A", "make_celery"]
    assert (ROOT / "make_celery.py").exists() and (ROOT / "wsgi.py").exists()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"wsgi:app"' in dockerfile and "python:3.11" in dockerfile


def test_every_variable_is_read_by_the_settings():
    env = COMPOSE["services"]["web"]["environment"]
    for name in env:
        assert f'"{name}"' in SETTINGS_SOURCE, f"{name} is set by docker-compose.yml but never read"


def test_production_settings_accept_the_compose_environment(monkeypatch):
    for name, value in COMPOSE["services"]["web"]["environment"].items():
        monkeypatch.setenv(name, _resolve(value))
    config = ProductionConfig()
    config.validate()
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg://nastavnik:pw@db:5432/")
    assert config.CELERY["broker_url"] == "redis://redis:6379/0"
    assert config.RATELIMIT_STORAGE_URI == "redis://redis:6379/0"
    assert config.SESSION_COOKIE_SECURE
    assert config.TRUSTED_HOSTS[:3] == ["nastavnik.example.org", "127.0.0.1", "localhost"]


def test_postgres_major_version_matches_what_ci_tests():
    local = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if not local:
        pytest.skip("postgresql unavailable: no local server to compare with")
    assert COMPOSE["services"]["db"]["image"] == f"postgres:{local[-1].parts[-3]}"
