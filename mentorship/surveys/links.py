"""The personal link of a survey invitation, and the short code printed on a paper sheet.

A link carries the invitation's id signed with the application's key (itsdangerous, salt
"nastavnik.survey"): a changed character fails the signature. It is single-use and expiring
by the invitation itself — status "answered" spends it, ``expires_on`` ends it — so a link is
never stored and can be rebuilt for a reminder. A short code is for pupils without e-mail: ten
characters of an alphabet without look-alikes (0/O, 1/I/L …), about 48 bits, unique, entered
on a public, rate-limited page.
"""
from __future__ import annotations

import io
import secrets
from collections.abc import Callable

from core.links import url_builder
from tenants.tokens import TokenError, make_token, read_token

PURPOSE = "survey"
# A signature older than this is refused whatever the invitation says (a campaign's links
# live ``response_days`` ≤ 365 days, or until it closes).
TOKEN_MAX_AGE = 400 * 24 * 3600
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10

__all__ = ["TokenError", "make_link_token", "read_link_token", "answer_url", "link_builder", "new_short_code",
           "normalise_code", "format_code", "qr_svg"]


def make_link_token(invitation_id: int) -> str:
    return make_token(PURPOSE, {"i": invitation_id})


def read_link_token(token: str) -> int:
    """The invitation id of a genuine link; TokenError("invalid" | "expired") otherwise."""
    payload = read_token(PURPOSE, token, TOKEN_MAX_AGE)
    invitation_id = payload.get("i")
    if not isinstance(invitation_id, int) or isinstance(invitation_id, bool):
        raise TokenError("invalid")
    return invitation_id


def link_builder() -> Callable[[int], str]:
    """A function making the absolute link e-mailed for an invitation id (core/links.py: on
    PUBLIC_BASE_URL, bound once for a whole batch)."""
    build = url_builder()
    return lambda invitation_id: build("survey_public.answer", token=make_link_token(invitation_id))


def answer_url(invitation_id: int) -> str:
    """The absolute link e-mailed to the recipient (see ``link_builder``)."""
    return link_builder()(invitation_id)


def new_short_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    """For printing: "ABCDE-FGHJK"."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def qr_svg(data: str) -> str:
    """An SVG QR code (path only, no inline style) to print beside the short code."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]
