"""Integration fixtures: a fresh PostgreSQL database per test, separate from the session app's."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import service_url


def _server_engine() -> sa.Engine:
    return sa.create_engine(service_url("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@pytest.fixture
def fresh_pg_url():
    """URL of a newly created, empty database on the throwaway PostgreSQL server; dropped afterwards.

    The session app runs ``create_all`` on the server's default database; tests that need
    an empty schema (migrations) or a database shared with another process (a Celery
    worker) get their own here, so neither side sees the other's tables.
    """
    name = f"it_{uuid.uuid4().hex[:12]}"
    engine = _server_engine()
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(service_url("postgres")).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
