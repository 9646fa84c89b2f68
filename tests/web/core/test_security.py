"""CSRF on every state-changing route, security headers and no inline scripts on every page,
error pages without stack traces, production settings."""
from __future__ import annotations

import re

import pytest
from flask_wtf.csrf import CSRFProtect

from config import ConfigError, ProductionConfig
from core.extensions import csrf
from tests.isolation.registry import ROUTES, make_objects

# Routes without CSRF would be listed here with the reason; there are none.
CSRF_EXEMPT: dict[str, str] = {}


def _sample_url(app, rule, tree, objects) -> str:
    """A concrete URL for ``rule``: the isolation registry knows how to build id routes."""
    for route in ROUTES:
        if route.endpoint == rule.endpoint:
            return route.url(tree, objects)
    values = {}
    for arg in rule.arguments:
        values[arg] = {"token": "x", "code": "en", "filename": "css/app.css"}.get(arg, 1)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


# Every world some registered route points at (the sampled URLs take their ids from ROUTES).
ALL_WORLDS = tuple(sorted({"w", "m", "s"} | {world for route in ROUTES for world in route.worlds}))


def _rules(app, method):
    return [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"]


def test_every_post_route_needs_a_csrf_token(app, tree, login):
    assert not csrf._exempt_views and not csrf._exempt_blueprints, "exemptions must be listed in CSRF_EXEMPT"
    with app.app_context():
        objects = make_objects(tree, worlds=ALL_WORLDS)
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    posts = _rules(app, "POST")
    assert len(posts) >= 8
    for rule in posts:
        if rule.endpoint in CSRF_EXEMPT:
            continue
        url = _sample_url(app, rule, tree, objects)
        response = client.post(url, data={"email": "x@test.ru"})
        assert response.status_code == 400, f"{rule.endpoint} {url} → {response.status_code}"
        # and anonymous posts are refused the same way, before any view code runs
        assert app.test_client().post(url).status_code == 400, rule.endpoint


def _get_pages(app, tree, objects):
    for rule in _rules(app, "GET"):
        if rule.endpoint != "testdata.boom":
            yield rule.endpoint, _sample_url(app, rule, tree, objects)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


@pytest.mark.parametrize("who", [None, "super", "r1.admin", "r1m1.admin", "r1m1s1.admin", "r1m1s1.staff"])
def test_security_headers_and_no_inline_code_on_every_page(app, tree, login, who):
    with app.app_context():
        objects = make_objects(tree, worlds=ALL_WORLDS)
    client = app.test_client()
    if who:
        login(client, tree.emails[who])
    seen = 0
    for endpoint, url in _get_pages(app, tree, objects):
        response = client.get(url)
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
            assert directive in csp, (endpoint, csp)
        assert "unsafe-inline" not in csp
        assert headers.get("X-Content-Type-Options") == "nosniff"
        assert headers.get("Strict-Transport-Security", "").startswith("max-age=")
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            assert not INLINE_SCRIPT.search(html), endpoint
            assert not INLINE_HANDLER.search(html), endpoint
            assert not INLINE_STYLE.search(html), endpoint
            seen += 1
    assert seen >= 5


def test_unknown_url_is_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


def test_server_error_page_has_no_stack_trace(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = app.test_client().get("/test/boom")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "что-то пошло не так" in body


def test_production_refuses_default_secret_and_missing_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://nastavnik.example.org")
    with pytest.raises(ConfigError) as err:
        ProductionConfig().validate()
    for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL"):
        assert name in str(err.value)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://nastavnik.example.org")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@db/nastavnik")
    config = ProductionConfig()
    config.validate()
    assert config.SESSION_COOKIE_SECURE and config.SESSION_COOKIE_HTTPONLY
    assert config.SESSION_COOKIE_SAMESITE == "Lax" and config.REMEMBER_COOKIE_SECURE
    assert config.RATELIMIT_STORAGE_URI.startswith("redis://")


def test_session_cookie_flags(app, tree, login):
    client = app.test_client()
    response = login(client, tree.emails["r1m1s1.staff"])
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_csrf_extension_is_the_flask_wtf_one():
    assert isinstance(csrf, CSRFProtect)


def test_client_address_behind_a_trusted_proxy(extra_app):
    """With PROXY_COUNT=1 the audit log and rate limits see the client, not the proxy."""
    import sqlalchemy as sa

    from config import TestingConfig
    from core.extensions import db
    from tenants.context import unscoped
    from tenants.models import AuditEvent

    app = extra_app(TestingConfig(), SQLALCHEMY_DATABASE_URI="sqlite://", PROXY_COUNT=1, WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
        client = app.test_client()
        client.post("/auth/login", data={"email": "nobody@test.ru", "password": "x"},
                    headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.2"})
        with unscoped("test"):
            assert db.session.scalar(sa.select(AuditEvent.ip).where(AuditEvent.action == "login.failed")) == "203.0.113.7"


def test_reset_links_do_not_follow_a_forged_host(extra_app):
    """With PUBLIC_BASE_URL set (required in production), a forged Host header cannot
    redirect a password-reset link to the attacker's site."""
    from config import TestingConfig
    from core.extensions import db
    from tests.support.factories import build_tree

    app = extra_app(TestingConfig(), SQLALCHEMY_DATABASE_URI="sqlite://",
                    PUBLIC_BASE_URL="https://nastavnik.example.org", WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
        tree = build_tree()
    app.test_client().post("/auth/reset", data={"email": tree.emails["r1m1s1.staff"]},
                           headers={"Host": "evil.example"})
    body = app.extensions["mail_outbox"][-1].get_content()
    assert "https://nastavnik.example.org/auth/reset/" in body and "evil.example" not in body


def test_production_refuses_foreign_hosts(monkeypatch, extra_app):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://nastavnik.example.org")
    app = extra_app(ProductionConfig())
    client = app.test_client()
    assert client.get("/auth/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/auth/login", headers={"Host": "nastavnik.example.org"}, base_url="https://nastavnik.example.org").status_code == 200
