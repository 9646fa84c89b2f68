"""Fixtures: apps per database backend, throwaway services, a tenant tree, signed-in clients.

Backends: tests take the ``backend`` fixture (through ``app``). By default they run on
SQLite; a module or test marked ``@pytest.mark.backends("sqlite", "postgresql")`` runs on
both. PostgreSQL and Redis are throwaway servers started from the machine's binaries
(tests/support/services.py) unless TEST_POSTGRES_URL / TEST_REDIS_URL name running ones.
Outside CI a missing binary skips the tests that need it and the summary says which Debian
package would enable them; with CI=true a missing service fails the run.
"""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from tests.support.services import ServiceUnavailable, start_postgres, start_redis

IN_CI = os.environ.get("CI", "").lower() == "true"
# Fixtures kept beside the helpers they serve.
pytest_plugins = ["tests.support.mail", "tests.support.ministry"]
_services: dict[str, object] = {}
_unavailable: dict[str, str] = {}
_apps: dict[str, object] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "backends(*names): run the test on each named database backend")
    config.addinivalue_line("markers", "needs(*services): the test needs postgresql / redis / chromium")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("backends")
        names = marker.args if marker else ("sqlite",)
        metafunc.parametrize("backend", names, indirect=True, scope="session")


def _service(name: str, starter):
    if name in _services:
        return _services[name]
    env_url = os.environ.get(f"TEST_{name.upper()}_URL")
    if env_url:
        _services[name] = env_url
        return env_url
    if name in _unavailable:
        reason = _unavailable[name]
    else:
        try:
            server = starter()
        except ServiceUnavailable as exc:
            _unavailable[name] = reason = str(exc)
        else:
            _services[name] = server
            return server.url
    if IN_CI:
        pytest.fail(f"{name} is required in CI: {reason}", pytrace=False)
    pytest.skip(f"{name} unavailable: {reason}")


def service_url(name: str) -> str:
    value = _service(name, {"postgres": start_postgres, "redis": start_redis}[name])
    return value if isinstance(value, str) else value.url


def pytest_sessionfinish(session, exitstatus):
    for server in _services.values():
        if not isinstance(server, str):
            server.stop()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    not_run = [r for r in skipped if "unavailable" in str(r.longrepr)]
    if not_run:
        terminalreporter.section("tests not run: services or documents missing")
        for report in not_run:
            terminalreporter.write_line(f"{report.nodeid}: {report.longrepr[2]}")
        if any("Debian package" in str(r.longrepr) for r in not_run):
            terminalreporter.write_line(
                "Install the services with: apt-get install postgresql redis-server chromium (Debian)"
            )


@pytest.fixture(scope="session")
def backend(request):
    return request.param


def _make_app(backend: str, **overrides):
    from config import TestingConfig
    from factory import create_app

    if backend == "sqlite":
        url = "sqlite://"
    elif backend == "postgresql":
        url = service_url("postgres")
    else:
        raise ValueError(backend)
    return create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url, SERVER_NAME="nastavnik.test", **overrides)


@pytest.fixture(scope="session")
def _session_app(backend):
    if backend not in _apps:
        app = _make_app(backend)
        from core.extensions import db
        from tests.support.blueprint import bp as test_bp  # test-only tenant-owned models and routes

        app.register_blueprint(test_bp, url_prefix="/test")

        with app.app_context():
            db.drop_all()
            db.create_all()
        _apps[backend] = app
    return _apps[backend]


def _wipe(app) -> None:
    from core.extensions import db

    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _mail_without_worker(request):
    """Queued mail is sent in the test process, except where a real worker sends it."""
    if not request.node.nodeid.startswith(("tests/integration/", "tests/e2e/")):
        request.getfixturevalue("mail_sent_in_process")


@pytest.fixture
def app(_session_app):
    from core.extensions import limiter
    from tenants.context import clear_scope

    app = _session_app
    app.extensions.pop("mail_outbox", None)
    with app.app_context():
        limiter.reset()
    yield app
    clear_scope()
    _wipe(app)


@pytest.fixture
def extra_app():
    """``extra_app(settings, **overrides)``: a further app (own database, broker…) for tests
    that cannot share the session app; its connections are closed and the previous default
    Celery app restored afterwards (``create_app`` makes its Celery app the default)."""
    from celery import _state

    from core.extensions import db
    from factory import create_app

    previous_default = _state.default_app
    apps = []

    def _make(settings, **overrides):
        new_app = create_app(settings, **overrides)
        apps.append(new_app)
        return new_app

    yield _make
    for made in apps:
        made.extensions["celery"].close()
        with made.app_context():
            db.session.remove()
            db.engine.dispose()
    _state.default_app = previous_default


@pytest.fixture
def ctx(app):
    """An application context for domain-level tests."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def tree(app):
    from tests.support.factories import build_tree

    with app.app_context():
        return build_tree()


@pytest.fixture
def login(app):
    """``login(client, email)`` signs in with the factory password and checks it worked."""
    from tests.support.factories import PASSWORD

    def _login(client, email: str, password: str = PASSWORD):
        page = client.get("/auth/login")
        assert page.status_code == 200
        response = client.post(
            "/auth/login",
            data={"email": email, "password": password, "csrf_token": csrf_token_from(page)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return _login


def csrf_token_from(response) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)
