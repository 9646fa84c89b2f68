"""Smaller guards: equal work for unknown accounts, derived organisation paths, no demo data
in production, single-line mail subjects, login caps."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.mail import build_message
from tenants import accounts
from tenants.context import unscoped
from tenants.models import Organization
from tenants.tree import TreeError
from tests.conftest import csrf_token_from


def test_unknown_account_costs_a_hash_verification(ctx, monkeypatch):
    seen = []
    real = accounts.verify_password

    def spy(stored, password):
        seen.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "verify_password", spy)
    assert accounts.authenticate("nobody@test.ru", "whatever-password") is None
    assert seen and seen[0].startswith("$argon2id$")


def test_organisation_path_cannot_be_chosen_on_insert(ctx, tree):
    with unscoped("test"):
        db.session.add(Organization(kind="school", name="x", parent_id=tree.ids["r1m1"], path="/8/9/777/"))
        with pytest.raises(TreeError):
            db.session.flush()
        db.session.rollback()


def test_demo_data_is_refused_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "production" in result.output
    with app.app_context(), unscoped("test"):
        assert db.session.query(Organization).count() == 0


def test_mail_subject_is_one_line():
    message = build_message("a@test.ru", "Школа\r\nBcc: victim@test.ru", "body", "from@test.ru")
    assert message["Subject"] == "Школа Bcc: victim@test.ru" and message["Bcc"] is None


def _login_post(app, email, password, addr):
    client = app.test_client()
    page = client.get("/auth/login", environ_base={"REMOTE_ADDR": addr})
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": csrf_token_from(page)},
                       environ_base={"REMOTE_ADDR": addr})


def test_hard_cap_counts_every_attempt(app, tree, monkeypatch):
    from tests.support.factories import PASSWORD

    monkeypatch.setitem(app.config, "LOGIN_HARD_LIMIT", "3 per minute")
    codes = [_login_post(app, tree.emails["r1m1s1.staff"], PASSWORD, "10.1.1.1").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_failures_per_account_are_limited_across_addresses(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "2 per hour")
    email = tree.emails["r1m1s1.staff"]
    codes = [_login_post(app, email, "wrong-password", f"10.2.0.{i}").status_code for i in range(1, 4)]
    assert codes == [200, 200, 429]
    assert _login_post(app, tree.emails["r1m1s2.staff"], "wrong-password", "10.2.0.9").status_code == 200
