"""Accounts: authentication, password reset and session invalidation."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from core.model import utcnow
from tenants import audit
from tenants.models import User
from tenants.passwords import dummy_hash, hash_password, verify_password
from tenants.tokens import TokenError, make_token, read_token

RESET_PURPOSE = "password-reset"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials (upgrading a weak hash), else None."""
    user = find_user_by_email(email)
    # An unknown address costs the same hash computation, so timing does not reveal accounts.
    ok, new_hash = verify_password(user.password_hash if user else dummy_hash(), password)
    if not ok or user is None or not user.is_active:
        audit.record("login.failed", user=user, details={"email": normalise_email(email)[:254]})
        db.session.commit()
        return None
    if new_hash:
        user.password_hash = new_hash
    user.last_login_at = utcnow()
    audit.record("login.success", user=user)
    db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Make every session cookie issued to ``user`` so far useless."""
    user.session_version = (user.session_version or 0) + 1


def sign_out(user: User) -> None:
    """Sign ``user`` out everywhere (every session cookie so far stops working), audited. The
    caller commits."""
    end_all_sessions(user)
    audit.record("logout", user=user)


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    end_all_sessions(user)


def _password_fingerprint(user: User) -> str:
    # Changes whenever the password does, which makes a reset link single-use.
    return hashlib.sha256((user.password_hash or "-").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return make_token(RESET_PURPOSE, {"uid": user.id, "fp": _password_fingerprint(user)})


def request_password_reset(email: str) -> tuple[User, str] | None:
    """The active user with this address and a reset token for them, the request audited; None
    for an unknown or disabled address (nothing recorded). The caller mails the link and commits."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    audit.record("password.reset_requested", user=user)
    return user, make_reset_token(user)


def user_for_reset_token(token: str) -> User:
    payload = read_token(RESET_PURPOSE, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or not user.is_active:
        raise TokenError("invalid")
    if payload.get("fp") != _password_fingerprint(user):
        raise TokenError("used")
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    set_password(user, password)
    audit.record("password.reset", user=user)
    db.session.commit()
    return user
