"""Browser fixtures: Debian's chromium via Playwright, and the app on a live loopback server."""
from __future__ import annotations

import os
import threading
from types import SimpleNamespace

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require_chromium() -> None:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"{CHROMIUM} not found (Debian package: chromium)"
    if IN_CI:
        pytest.fail(f"chromium is required in CI: {reason}", pytrace=False)
    pytest.skip(f"chromium unavailable: {reason}")


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def live_server(tmp_path):
    """The app on a free loopback port, with the test tree in a file SQLite database."""
    from celery import _state as celery_state
    from werkzeug.serving import make_server

    from config import TestingConfig
    from core.extensions import db
    from factory import create_app
    from tests.support.factories import build_tree

    previous_celery = celery_state.default_app  # create_app makes its Celery app the default
    # No SERVER_NAME: URLs are built from the Host the browser sends (127.0.0.1:<port>).
    app = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    assert not app.config.get("SERVER_NAME")
    with app.app_context():
        db.create_all()
        tree = build_tree()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)  # port 0: the OS picks a free one
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", tree=tree, app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if previous_celery is not None:
            previous_celery.set_default()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_messages = []  # (type, text) of every console message
    page.page_errors = []
    page.on("console", lambda m: page.console_messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()




def sign_in(page, email: str, password: str) -> None:
    response = page.goto("/auth/login")
    assert response.status == 200
    form = page.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def sign_out(page) -> None:
    page.locator("nav .dropdown-toggle:has(.bi-person-circle)").click()
    with page.expect_navigation():
        page.locator("form[action='/auth/logout'] button[type=submit]").click()
    assert page.url.endswith("/auth/login")
    assert page.locator("input[name=password]").count() == 1
