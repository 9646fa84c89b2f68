"""Sign-in, sessions, password hashing, e-mailed reset and invitation links, memberships.

Mail goes through a real SMTP server (aiosmtpd) on loopback, so the tests read what
``smtplib`` actually delivered, not what the console backend would have recorded.
"""
from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, Type
from babel.messages.pofile import read_po
from werkzeug.security import generate_password_hash

from core.extensions import db
from tenants.context import unscoped
from tenants.memberships import grant_membership
from tenants.models import AuditEvent, Membership, Organization, User
from tenants.roles import Role
from tests.conftest import csrf_token_from
from tests.support.factories import PASSWORD
from tests.support.paths import PROJECT_ROOT
from tests.support.smtp import smtp_server

NEW_PASSWORD = "a-brand-new-password"
PO_FILE = PROJECT_ROOT / "translations" / "ru" / "LC_MESSAGES" / "messages.po"


@cache
def _catalog():
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="ru")


def ru(msgid: str, **params) -> str:
    """The Russian text of ``msgid`` as the .po file has it (and it must be translated)."""
    message = _catalog().get(msgid)
    assert message is not None and message.string and not message.fuzzy, f"untranslated: {msgid!r}"
    return message.string % params if params else message.string


def test_catalogue_has_the_login_error():
    # Pinned once: the wording the users see (the brief guessed «Неверный e-mail или пароль»).
    assert ru("Wrong e-mail or password.") == "Неверный адрес электронной почты или пароль."


# -- helpers ----------------------------------------------------------------------------------

@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on 127.0.0.1; the app sends through it for this test only."""
    with smtp_server() as mailbox:
        for key, value in {
            "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port,
            "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, "MAIL_USERNAME": None, "MAIL_TIMEOUT": 5,
        }.items():
            monkeypatch.setitem(app.config, key, value)  # restored after the test
        yield mailbox


def link_in(message, route: str) -> str:
    """The path of the one ``/auth/<route>/<token>`` link in a plain-text message."""
    body = message.get_content()
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 1, body
    parts = urlsplit(links[0])
    assert parts.netloc == "nastavnik.test"
    assert re.fullmatch(rf"/auth/{route}/[A-Za-z0-9_.\-]+", parts.path), parts.path
    return parts.path


def tamper(path: str) -> str:
    """Change one character of the token's payload (the part the signature covers)."""
    prefix, token = path.rsplit("/", 1)
    i = 3
    replacement = "A" if token[i] != "A" else "B"
    return f"{prefix}/{token[:i]}{replacement}{token[i + 1:]}"


def post_form(client, page_url: str, data: dict, post_url: str | None = None, **kwargs):
    """GET a page, then POST ``data`` to it (or ``post_url``) with the page's CSRF token."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    return client.post(post_url or page_url, data={**data, "csrf_token": csrf_token_from(page)}, **kwargs)


def attempt_login(client, email_: str, password: str):
    return post_form(client, "/auth/login", {"email": email_, "password": password})


def text(response) -> str:
    return response.get_data(as_text=True)


def landing(client) -> str:
    """Where GET / sends this client."""
    response = client.get("/")
    assert response.status_code == 302
    return urlsplit(response.headers["Location"]).path


def user_by_email(app, email_: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email_))
        if user is not None:
            db.session.expunge(user)
        return user


def membership_id(app, email_: str, org_id: int) -> int:
    with app.app_context(), unscoped("test"):
        return db.session.scalar(
            sa.select(Membership.id).join(User, Membership.user_id == User.id)
            .where(User.email == email_, Membership.org_id == org_id)
        )


def switcher_names(response) -> list[str]:
    """Organisations offered by the navbar switcher (one form per membership)."""
    return re.findall(r'action="/auth/switch/\d+">\s*<input[^>]*>\s*<button[^>]*>\s*([^<—]+?)\s*—', text(response))


# -- sign-in ----------------------------------------------------------------------------------

def test_login_with_right_password_goes_to_the_org_home(client, tree, login):
    response = login(client, tree.emails["r1m1s1.staff"])
    assert urlsplit(response.headers["Location"]).path == "/"
    home = landing(client)
    assert home == f"/org/{tree.ids['r1m1s1']}/"
    page = client.get(home)
    assert page.status_code == 200
    assert "Школа 1.1.1" in text(page)


def test_wrong_password_rerenders_the_form_with_the_russian_error(client, tree):
    response = attempt_login(client, tree.emails["r1m1s1.staff"], "not-the-password")
    assert response.status_code == 200
    assert ru("Wrong e-mail or password.") in text(response)
    assert 'name="password"' in text(response)
    assert client.get("/").headers["Location"].endswith("/auth/login")  # still anonymous


def test_unknown_email_gets_the_same_error(client, tree):
    response = attempt_login(client, "nobody@test.ru", PASSWORD)
    assert response.status_code == 200
    assert ru("Wrong e-mail or password.") in text(response)


def test_disabled_user_cannot_log_in(app, client, tree):
    with app.app_context():
        db.session.get(User, tree.users["r1m1s1.staff"].id).is_active = False
        db.session.commit()
    response = attempt_login(client, tree.emails["r1m1s1.staff"], PASSWORD)
    assert response.status_code == 200
    assert ru("Wrong e-mail or password.") in text(response)
    assert client.get(f"/org/{tree.ids['r1m1s1']}/").status_code == 302  # to the login page


def test_sixth_wrong_password_from_one_address_is_refused(client, tree):
    email_ = tree.emails["r1m1s1.staff"]
    for attempt in range(5):
        response = attempt_login(client, email_, f"wrong-{attempt}")
        assert response.status_code == 200, attempt
        assert ru("Wrong e-mail or password.") in text(response)
    response = attempt_login(client, email_, "wrong-5")
    assert response.status_code == 429
    assert ru("Too many attempts. Wait a minute and try again.") in text(response)
    # The right password is refused too now: the limit is on the address, not the guess.
    assert attempt_login(client, email_, PASSWORD).status_code == 429
    # The form itself (GET) stays available.
    assert client.get("/auth/login").status_code == 200


def test_successful_logins_do_not_count_toward_the_limit(app, tree, login):
    email_ = tree.emails["r1m1s1.staff"]
    failing = app.test_client()
    for attempt in range(4):
        assert attempt_login(failing, email_, f"wrong-{attempt}").status_code == 200
    for _ in range(3):
        login(app.test_client(), email_)  # same address, fresh session each time
    assert attempt_login(failing, email_, "wrong-4").status_code == 200  # the 5th failure
    assert attempt_login(failing, email_, "wrong-5").status_code == 429  # the 6th


def test_login_clears_the_pre_login_session(client, tree, login):
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
        session["membership_id"] = 999_999
    login(client, tree.emails["r1m1s1.staff"])
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("membership_id") != 999_999
        assert session.get("_user_id", "").startswith(f"{tree.users['r1m1s1.staff'].id}:")


def test_logged_out_cookie_cannot_be_replayed(app, client, tree, login):
    login(client, tree.emails["r1m1s1.staff"])
    home = f"/org/{tree.ids['r1m1s1']}/"
    page = client.get(home)
    assert page.status_code == 200
    cookie = client.get_cookie("nastavnik_session", domain="nastavnik.test")
    assert cookie is not None
    stolen = cookie.value

    # The copied cookie works while the session is alive…
    thief = app.test_client()
    thief.set_cookie("nastavnik_session", stolen, domain="nastavnik.test")
    assert thief.get(home).status_code == 200

    response = client.post("/auth/logout", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"
    with app.app_context(), unscoped("test"):
        signed_out = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "logout"))
        assert signed_out.user_id == tree.users["r1m1s1.staff"].id

    # …and not after the owner signed out.
    thief = app.test_client()
    thief.set_cookie("nastavnik_session", stolen, domain="nastavnik.test")
    response = thief.get(home)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


def test_logout_needs_the_csrf_token(client, tree, login):
    login(client, tree.emails["r1m1s1.staff"])
    assert client.post("/auth/logout").status_code == 400
    assert client.get(f"/org/{tree.ids['r1m1s1']}/").status_code == 200  # still signed in


# -- password hashes --------------------------------------------------------------------------

def _user_with_hash(app, email_: str, password_hash: str) -> None:
    with app.app_context():
        db.session.add(User(email=email_, full_name="Legacy", password_hash=password_hash))
        db.session.commit()


def test_legacy_pbkdf2_hash_is_upgraded_to_argon2id_at_login(app, client, tree, login):
    legacy = generate_password_hash(PASSWORD, method="pbkdf2:sha256")
    assert legacy.startswith("pbkdf2:sha256:")
    _user_with_hash(app, "legacy@test.ru", legacy)
    login(client, "legacy@test.ru")
    stored = user_by_email(app, "legacy@test.ru").password_hash
    assert stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, PASSWORD)
    # The upgraded hash still lets the user in.
    login(app.test_client(), "legacy@test.ru")


def test_weak_argon2_hash_is_rehashed_to_the_current_parameters(app, client, tree, login):
    weak_hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1, type=Type.ID)
    weak = weak_hasher.hash(PASSWORD)
    current = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)  # PASSWORD_HASH_FAST
    assert app.config["PASSWORD_HASH_FAST"] is True
    assert current.check_needs_rehash(weak)
    _user_with_hash(app, "weak@test.ru", weak)
    login(client, "weak@test.ru")
    stored = user_by_email(app, "weak@test.ru").password_hash
    assert stored != weak
    assert stored.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert current.check_needs_rehash(stored) is False
    # A current hash is left alone at the next login.
    login(app.test_client(), "weak@test.ru")
    assert user_by_email(app, "weak@test.ru").password_hash == stored


def test_wrong_password_does_not_rehash(app, client, tree):
    legacy = generate_password_hash(PASSWORD, method="pbkdf2:sha256")
    _user_with_hash(app, "legacy@test.ru", legacy)
    assert attempt_login(client, "legacy@test.ru", "not-the-password").status_code == 200
    assert user_by_email(app, "legacy@test.ru").password_hash == legacy


# -- password reset over SMTP -----------------------------------------------------------------

def request_reset(client, email_: str):
    response = post_form(client, "/auth/reset", {"email": email_})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"
    flashed = text(client.get("/auth/login"))
    assert ru("If the address is registered, a reset link has been sent to it.") in flashed
    return response


def test_password_reset_through_a_real_smtp_server(app, client, tree, smtp, login):
    email_ = tree.emails["r1m1s1.staff"]
    request_reset(client, email_)
    message = smtp.only(email_)
    assert message["Subject"] == ru("Password reset — Nastavnik")
    assert "no-reply@nastavnik.local" in message["From"]
    reset_path = link_in(message, "reset")

    visitor = app.test_client()
    form = visitor.get(reset_path)
    assert form.status_code == 200
    assert 'name="password"' in text(form) and 'name="confirm"' in text(form)
    response = visitor.post(
        reset_path,
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token_from(form)},
    )
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"
    assert ru("Your password has been changed. Sign in with the new one.") in text(visitor.get("/auth/login"))

    assert attempt_login(app.test_client(), email_, PASSWORD).status_code == 200  # the old one: no
    login(app.test_client(), email_, NEW_PASSWORD)

    again = app.test_client().get(reset_path)
    assert again.status_code == 400
    assert ru("The link has already been used. Each link works once.") in text(again)
    with app.app_context(), unscoped("test"):
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "password.reset_requested" in actions and "password.reset" in actions


def test_reset_ends_existing_sessions(app, client, tree, smtp, login):
    email_ = tree.emails["r1m1s1.staff"]
    signed_in = app.test_client()
    login(signed_in, email_)
    home = f"/org/{tree.ids['r1m1s1']}/"
    assert signed_in.get(home).status_code == 200
    request_reset(client, email_)
    reset_path = link_in(smtp.only(email_), "reset")
    response = post_form(app.test_client(), reset_path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in.get(home).status_code == 302  # to the login page


def test_tampered_reset_link_is_refused(app, client, tree, smtp):
    email_ = tree.emails["r1m1s1.staff"]
    request_reset(client, email_)
    reset_path = link_in(smtp.only(email_), "reset")
    for bad in (tamper(reset_path), reset_path[:-4], "/auth/reset/not-a-token"):
        response = app.test_client().get(bad)
        assert response.status_code == 400, bad
        assert ru("The link is damaged or not valid. Copy it from the e-mail in full, or ask for a new one.") in text(response)
        assert 'name="password"' not in text(response)
    # A tampered token cannot set a password by POST either.
    visitor = app.test_client()
    response = visitor.post(tamper(reset_path), data={
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token_from(visitor.get("/auth/login")),
    })
    assert response.status_code == 400
    assert attempt_login(app.test_client(), email_, NEW_PASSWORD).status_code == 200  # not changed


def test_expired_reset_link_is_refused(app, client, tree, smtp, monkeypatch):
    email_ = tree.emails["r1m1s1.staff"]
    request_reset(client, email_)
    reset_path = link_in(smtp.only(email_), "reset")
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = app.test_client().get(reset_path)
    assert response.status_code == 400
    assert ru("The link has expired. Ask for a new one.") in text(response)


def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(app, client, tree, smtp):
    request_reset(client, "nobody@test.ru")
    assert smtp.messages == []


def test_reset_for_a_disabled_user_sends_nothing(app, client, tree, smtp):
    with app.app_context():
        db.session.get(User, tree.users["r1m1s1.staff"].id).is_active = False
        db.session.commit()
    request_reset(client, tree.emails["r1m1s1.staff"])
    assert smtp.messages == []


# -- invitations over SMTP --------------------------------------------------------------------

def invite(client, org_id: int, email_: str, role: Role = Role.SCHOOL_CURATOR, full_name: str = ""):
    return post_form(
        client, f"/org/{org_id}/members/invite",
        {"email": email_, "role": role.value, "full_name": full_name},
    )


@pytest.fixture
def principal(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    return client


def test_invitation_of_a_new_curator(app, tree, smtp, principal, login):
    school = tree.ids["r1m1s1"]
    response = invite(principal, school, "new.curator@test.ru", full_name="Новикова Анна")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/org/{school}/members"
    members = text(principal.get(f"/org/{school}/members"))
    assert ru("An invitation has been sent to %(email)s.", email="new.curator@test.ru") in members
    assert "new.curator@test.ru" in members  # pending invitations

    message = smtp.only("new.curator@test.ru")
    assert message["Subject"] == ru("Invitation to Nastavnik: %(org)s", org="Школа 1.1.1")
    invitation_path = link_in(message, "invitation")

    invitee = app.test_client()
    form = invitee.get(invitation_path)
    assert form.status_code == 200
    assert "Школа 1.1.1" in text(form)
    assert 'name="full_name"' in text(form) and 'name="password"' in text(form)

    response = invitee.post(invitation_path, data={
        "full_name": "Новикова Анна", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x",
        "csrf_token": csrf_token_from(form),
    })
    assert response.status_code == 200
    assert ru("The passwords do not match.") in text(response)
    assert user_by_email(app, "new.curator@test.ru") is None

    response = invitee.post(invitation_path, data={
        "full_name": "Новикова Анна", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token_from(form),
    })
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"
    user = user_by_email(app, "new.curator@test.ru")
    assert user is not None and user.full_name == "Новикова Анна" and user.is_active
    with app.app_context(), unscoped("test"):
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        assert (membership.org_id, membership.role, membership.is_active) == (school, "school_curator", True)

    newcomer = app.test_client()
    login(newcomer, "new.curator@test.ru", NEW_PASSWORD)
    assert landing(newcomer) == f"/org/{school}/"
    assert "Школа 1.1.1" in text(newcomer.get(f"/org/{school}/"))

    again = app.test_client().get(invitation_path)
    assert again.status_code == 400
    assert ru("The link has already been used. Each link works once.") in text(again)
    # Not even the signed-in invitee can use it twice.
    assert newcomer.get(invitation_path).status_code == 400


def test_tampered_invitation_link_is_refused(app, tree, smtp, principal):
    invite(principal, tree.ids["r1m1s1"], "new.curator@test.ru")
    invitation_path = link_in(smtp.only("new.curator@test.ru"), "invitation")
    visitor = app.test_client()
    response = visitor.get(tamper(invitation_path))
    assert response.status_code == 400
    assert ru("The link is damaged or not valid. Copy it from the e-mail in full, or ask for a new one.") in text(response)
    csrf = csrf_token_from(visitor.get("/auth/login"))
    response = visitor.post(tamper(invitation_path), data={
        "full_name": "X", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf,
    })
    assert response.status_code == 400
    assert user_by_email(app, "new.curator@test.ru") is None


def test_expired_invitation_link_is_refused(app, tree, smtp, principal, monkeypatch):
    invite(principal, tree.ids["r1m1s1"], "new.curator@test.ru")
    invitation_path = link_in(smtp.only("new.curator@test.ru"), "invitation")
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    response = app.test_client().get(invitation_path)
    assert response.status_code == 400
    assert ru("The link has expired. Ask for a new one.") in text(response)


def test_invitation_of_an_existing_user_needs_that_user_signed_in(app, tree, smtp, principal, login):
    school, other_school = tree.ids["r1m1s1"], tree.ids["r1m1s2"]
    email_ = tree.emails["r1m1s2.staff"]  # a curator of another school
    assert invite(principal, school, email_).status_code == 302
    invitation_path = link_in(smtp.only(email_), "invitation")

    # Anonymous: sent to sign in, and nothing is accepted.
    anonymous = app.test_client()
    response = anonymous.get(invitation_path)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/login" and "next=" in location.query
    assert ru("Sign in as %(email)s to accept the invitation.", email=email_) in text(anonymous.get(response.headers["Location"]))

    # Signed in as somebody else: told so (409), and nothing is accepted.
    stranger = app.test_client()
    login(stranger, tree.emails["r1m1s1.staff"])
    response = stranger.post(invitation_path, data={"csrf_token": csrf_token_from(stranger.get(f"/org/{school}/"))})
    assert response.status_code == 409
    assert membership_id(app, email_, school) is None

    # The invitee signs in through the login page's ``next`` and lands on the invitation.
    invitee = app.test_client()
    login_page = invitee.get(f"/auth/login?next={invitation_path}")
    response = invitee.post(f"/auth/login?next={invitation_path}", data={
        "email": email_, "password": PASSWORD, "next": invitation_path, "csrf_token": csrf_token_from(login_page),
    })
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == invitation_path
    page = invitee.get(invitation_path)
    assert page.status_code == 200
    assert 'name="password"' not in text(page)  # an existing account only confirms
    response = invitee.post(invitation_path, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302, text(response)[:500]
    assert urlsplit(response.headers["Location"]).path == "/"

    new_id = membership_id(app, email_, school)
    assert new_id is not None
    assert membership_id(app, email_, other_school) is not None  # the old one stays
    assert landing(invitee) == f"/org/{school}/"  # the accepted organisation is now active
    home = invitee.get(f"/org/{school}/")
    assert home.status_code == 200
    assert ru("Invitation accepted.") in text(home)
    assert sorted(switcher_names(home)) == ["Школа 1.1.1", "Школа 1.1.2"]

    again = invitee.get(invitation_path)
    assert again.status_code == 400
    assert ru("The link has already been used. Each link works once.") in text(again)


def test_curator_cannot_invite(app, tree, login):
    curator = app.test_client()
    login(curator, tree.emails["r1m1s1.staff"])
    school = tree.ids["r1m1s1"]
    assert curator.get(f"/org/{school}/members/invite").status_code == 403
    csrf = csrf_token_from(curator.get(f"/org/{school}/members"))
    response = curator.post(f"/org/{school}/members/invite", data={
        "email": "x@test.ru", "role": "school_curator", "csrf_token": csrf,
    })
    assert response.status_code == 403
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "invitation.created")) == 0


def test_principal_cannot_invite_to_another_school(app, tree, smtp, principal):
    other = tree.ids["r1m1s2"]
    assert principal.get(f"/org/{other}/members/invite").status_code == 404
    assert principal.get(f"/org/{other}/").status_code == 404
    csrf = csrf_token_from(principal.get(f"/org/{tree.ids['r1m1s1']}/members"))
    response = principal.post(f"/org/{other}/members/invite", data={
        "email": "x@test.ru", "role": "school_principal", "csrf_token": csrf,
    })
    assert response.status_code == 404
    assert smtp.messages == []


def test_principal_cannot_invite_to_a_role_of_another_level(app, tree, smtp, principal):
    response = invite(principal, tree.ids["r1m1s1"], "x@test.ru", role=Role.MUNICIPAL_COORDINATOR)
    assert response.status_code == 200  # the form again, with the choice refused
    assert smtp.messages == []


def test_inviting_a_member_again_says_so_beside_the_address(app, tree, smtp, principal):
    response = invite(principal, tree.ids["r1m1s1"], tree.emails["r1m1s1.staff"], role=Role.SCHOOL_CURATOR)
    assert response.status_code == 200
    feedback = text(response).split('name="email"')[1].split('name="full_name"')[0]
    assert ru("This person is already a member of the organisation.") in feedback
    assert smtp.messages == []


# -- memberships ------------------------------------------------------------------------------

def test_disabled_membership_loses_the_organisation_and_is_audited(app, tree, principal, login):
    school = tree.ids["r1m1s1"]
    curator_email = tree.emails["r1m1s1.staff"]
    curator = app.test_client()
    assert attempt_login(curator, curator_email, "a-wrong-guess").status_code == 200  # login.failed
    login(curator, curator_email)  # login.success
    assert curator.get(f"/org/{school}/").status_code == 200

    target = membership_id(app, curator_email, school)
    members = principal.get(f"/org/{school}/members")
    assert f"/org/{school}/members/{target}/active" in text(members)
    response = principal.post(f"/org/{school}/members/{target}/active", data={"csrf_token": csrf_token_from(members)})
    assert response.status_code == 302

    with app.app_context(), unscoped("test"):
        assert db.session.get(Membership, target).is_active is False
    assert curator.get(f"/org/{school}/").status_code == 403
    assert curator.get(f"/org/{school}/members").status_code == 403
    assert landing(curator) == "/no-organisation"

    curator_id = tree.users["r1m1s1.staff"].id
    principal_id = tree.users["r1m1s1.admin"].id
    with app.app_context(), unscoped("test"):
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        disabled = [e for e in events if e.action == "membership.disabled"]
        assert len(disabled) == 1
        assert (disabled[0].user_id, disabled[0].org_id) == (principal_id, school)
        assert (disabled[0].object_type, disabled[0].object_id) == ("Membership", str(target))
        assert disabled[0].details == {"user_id": curator_id}
        assert disabled[0].ip == "127.0.0.1"
        failed = [e for e in events if e.action == "login.failed"]
        assert [(e.user_id, e.details["email"]) for e in failed] == [(curator_id, curator_email)]
        successes = {e.user_id for e in events if e.action == "login.success"}
        assert {curator_id, principal_id} <= successes


def test_disabled_membership_can_be_enabled_again(app, tree, principal, login):
    school = tree.ids["r1m1s1"]
    target = membership_id(app, tree.emails["r1m1s1.staff"], school)
    for _ in range(2):
        members = principal.get(f"/org/{school}/members")
        response = principal.post(f"/org/{school}/members/{target}/active", data={"csrf_token": csrf_token_from(members)})
        assert response.status_code == 302
    curator = app.test_client()
    login(curator, tree.emails["r1m1s1.staff"])
    assert landing(curator) == f"/org/{school}/"
    with app.app_context(), unscoped("test"):
        actions = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.action.like("membership.%abled")).order_by(AuditEvent.id)).all()
    assert actions == ["membership.disabled", "membership.enabled"]


def test_principal_cannot_disable_self_or_members_of_another_school(app, tree, principal):
    school, other = tree.ids["r1m1s1"], tree.ids["r1m1s2"]
    csrf = csrf_token_from(principal.get(f"/org/{school}/members"))
    own = membership_id(app, tree.emails["r1m1s1.admin"], school)
    assert principal.post(f"/org/{school}/members/{own}/active", data={"csrf_token": csrf}).status_code == 302
    assert ru("You cannot disable your own membership.") in text(principal.get(f"/org/{school}/members"))
    foreign = membership_id(app, tree.emails["r1m1s2.staff"], other)
    assert principal.post(f"/org/{other}/members/{foreign}/active", data={"csrf_token": csrf}).status_code == 404
    assert principal.post(f"/org/{school}/members/{foreign}/active", data={"csrf_token": csrf}).status_code == 404
    with app.app_context(), unscoped("test"):
        assert db.session.get(Membership, own).is_active is True
        assert db.session.get(Membership, foreign).is_active is True


def test_curator_cannot_disable_members(app, tree, login):
    school = tree.ids["r1m1s1"]
    curator = app.test_client()
    login(curator, tree.emails["r1m1s1.staff"])
    csrf = csrf_token_from(curator.get(f"/org/{school}/members"))
    target = membership_id(app, tree.emails["r1m1s1.admin"], school)
    assert curator.post(f"/org/{school}/members/{target}/active", data={"csrf_token": csrf}).status_code == 403
    with app.app_context(), unscoped("test"):
        assert db.session.get(Membership, target).is_active is True


# -- organisation switch ----------------------------------------------------------------------

@pytest.fixture
def two_schools(app, tree):
    """Curator of r1m1s1 is also a curator of r1m1s2."""
    with app.app_context(), unscoped("test"):
        user = db.session.get(User, tree.users["r1m1s1.staff"].id)
        grant_membership(user, db.session.get(Organization, tree.ids["r1m1s2"]), Role.SCHOOL_CURATOR)
        db.session.commit()
    return tree


def test_switch_between_own_memberships(app, client, two_schools, login):
    tree = two_schools
    email_ = tree.emails["r1m1s1.staff"]
    login(client, email_)
    first = landing(client)
    ids = {f"/org/{tree.ids[k]}/": k for k in ("r1m1s1", "r1m1s2")}
    assert first in ids
    other_key = "r1m1s2" if ids[first] == "r1m1s1" else "r1m1s1"
    other_path = f"/org/{tree.ids[other_key]}/"
    page = client.get(first)
    assert sorted(switcher_names(page)) == ["Школа 1.1.1", "Школа 1.1.2"]

    target = membership_id(app, email_, tree.ids[other_key])
    response = client.post(f"/auth/switch/{target}", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert landing(client) == other_path
    assert client.get(other_path).status_code == 200

    # The scope is the active membership: the other school is out of it until switched back.
    assert client.get(first).status_code == 404
    page = client.get(other_path)
    back = membership_id(app, email_, tree.ids[ids[first]])
    assert client.post(f"/auth/switch/{back}", data={"csrf_token": csrf_token_from(page)}).status_code == 302
    assert landing(client) == first


def test_switch_to_a_membership_that_is_not_yours_is_404(app, client, two_schools, login):
    tree = two_schools
    login(client, tree.emails["r1m1s1.staff"])
    page = client.get(landing(client))
    before = landing(client)
    for key, org in (("r1m1s1.admin", "r1m1s1"), ("r2m1s1.staff", "r2m1s1")):
        foreign = membership_id(app, tree.emails[key], tree.ids[org])
        response = client.post(f"/auth/switch/{foreign}", data={"csrf_token": csrf_token_from(page)})
        assert response.status_code == 404, key
    assert client.post("/auth/switch/999999", data={"csrf_token": csrf_token_from(page)}).status_code == 404
    assert landing(client) == before


def test_switch_needs_sign_in_and_csrf(app, client, two_schools, login):
    tree = two_schools
    own = membership_id(app, tree.emails["r1m1s1.staff"], tree.ids["r1m1s2"])
    response = client.post(f"/auth/switch/{own}", data={"csrf_token": csrf_token_from(client.get("/auth/login"))})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"
    login(client, tree.emails["r1m1s1.staff"])
    assert client.post(f"/auth/switch/{own}").status_code == 400  # no CSRF token


def test_invitation_for_someone_else_says_so(app, tree, login):
    """Signed in as another user, the invitee's link explains instead of bouncing to login."""
    from tenants.context import unscoped
    from tenants.memberships import invitation_token, issue_invitation
    from tenants.models import Organization, User

    with app.app_context(), unscoped("test"):
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        inviter = db.session.get(User, tree.users["r1m1s1.admin"].id)
        invitation = issue_invitation(org=school, email=tree.emails["r1m1s2.staff"], role=Role.SCHOOL_CURATOR,
                                      full_name=None, inviter=inviter)
        db.session.commit()
        token = invitation_token(invitation)
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    response = client.get(f"/auth/invitation/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert tree.emails["r1m1s2.staff"] in body and tree.emails["r1m1s1.staff"] in body
    with app.app_context(), unscoped("test"):
        assert db.session.get(type(invitation), invitation.id).accepted_at is None
