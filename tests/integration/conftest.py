"""Integration fixtures: a fresh PostgreSQL database per test, separate from the session app's."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.extensions import db
from tests.conftest import service_url
from tests.support.factories import build_tree


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


# -- real Celery workers -------------------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CELERY_BIN = Path(sys.executable).with_name("celery")
# Variables that would point the worker somewhere other than where the test says.
CONFIG_VARS = (
    "NASTAVNIK_ENV", "NASTAVNIK_INSTANCE_DIR", "DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL",
    "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "RATELIMIT_STORAGE_URI",
)
RESULT_TIMEOUT = 60


class Worker:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [
                str(CELERY_BIN), "-A", "make_celery", "worker", "--pool=solo", "--concurrency=1",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
                f"--hostname=it-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=PROJECT_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )

    def log_tail(self, lines: int = 60) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def wait(self, result, timeout: float = RESULT_TIMEOUT):
        """Wait until ``result`` is ready; fail at once (with the worker's log) if the worker dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result.ready():
                return result
            code = self.process.poll()
            if code is not None:
                pytest.fail(f"the worker exited with {code}:\n{self.log_tail()}", pytrace=False)
            time.sleep(0.1)
        pytest.fail(f"no result for {result.id} in {timeout}s; worker log:\n{self.log_tail()}", pytrace=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture
def start_worker(tmp_path):
    workers: list[Worker] = []

    def _start(**variables: str) -> Worker:
        env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
        env.update(NASTAVNIK_ENV="development", NASTAVNIK_INSTANCE_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
        env.update(variables)
        worker = Worker(env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield _start
    for worker in workers:
        worker.stop()


def schema_and_tree(app):
    with app.app_context():
        db.create_all()
        tree = build_tree()
        db.session.remove()
    return tree
