"""Signed, expiring tokens for e-mailed links (itsdangerous)."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from core.errors import DomainError


class TokenError(DomainError):
    """The link is tampered with, expired, or not for this purpose: the code ("invalid",
    "expired", "used") is the reason."""

    MESSAGES = {
        "invalid": _l("The link is damaged or not valid. Copy it from the e-mail in full, or ask for a new one."),
        "expired": _l("The link has expired. Ask for a new one."),
        "used": _l("The link has already been used. Each link works once."),
    }

    @property
    def reason(self) -> str:
        return self.code


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"nastavnik.{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadSignature:
        raise TokenError("invalid") from None
    if not isinstance(payload, dict):
        raise TokenError("invalid")
    return payload
