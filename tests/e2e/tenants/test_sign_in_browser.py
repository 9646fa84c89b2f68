"""A real browser (Debian's chromium, driven by Playwright) against a live server.

The app is a separate instance with its own SQLite file, served by Werkzeug from a
background thread on 127.0.0.1, so the browser goes through real HTTP, real cookies and the
real Content-Security-Policy header. Outside CI a missing chromium skips the test (the
summary lists it); with CI=true it fails.
"""
from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in, sign_out

pytestmark = pytest.mark.needs("chromium")


def csp_violations(page) -> list[str]:
    return [text for kind, text in page.console_messages if "Content Security Policy" in text]


def test_curators_see_their_own_school_and_not_another(page, live_server):
    from tests.support.factories import PASSWORD

    tree = live_server.tree
    first_school = f"/org/{tree.ids['r1m1s1']}/"

    sign_in(page, tree.emails["r1m1s1.staff"], PASSWORD)
    assert page.url == live_server.url + first_school
    assert page.locator("main h1").inner_text() == "Школа 1.1.1"
    assert page.locator("html").get_attribute("lang") == "ru"
    # Bootstrap's bundle is served from 'self' and runs: the navbar dropdown machinery exists.
    assert page.evaluate("() => typeof window.bootstrap") == "object"

    sign_out(page)
    response = page.goto(first_school)  # signed out: sent to the login page
    assert response.status == 200 and "/auth/login" in page.url

    sign_in(page, tree.emails["r1m1s2.staff"], PASSWORD)
    assert page.url == live_server.url + f"/org/{tree.ids['r1m1s2']}/"
    assert page.locator("main h1").inner_text() == "Школа 1.1.2"

    response = page.goto(first_school)
    assert response.status == 404
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "Школа 1.1.1" not in page.content()
    assert page.locator("main h1").inner_text() == "404"

    assert page.page_errors == []
    assert csp_violations(page) == [], page.console_messages
    # The only errors are the 404s themselves (that page, and the favicon the app has not).
    others = [t for kind, t in page.console_messages if kind == "error" and not t.startswith("Failed to load resource")]
    assert others == [], page.console_messages

    # Control: the collector does see a CSP violation when there is one (an inline script).
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__inline = 1'; document.head.appendChild(s); }"
        )
    assert page.evaluate("() => window.__inline") is None
    assert len(csp_violations(page)) == 1
