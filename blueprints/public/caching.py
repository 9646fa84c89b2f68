"""HTTP caching of the public pages: a strong ETag built on the page's content versions, a
Last-Modified, conditional GET answered 304 without rendering, ``Cache-Control: public,
max-age=300`` for anonymous visitors (``private`` for a signed-in one), ``Vary: Cookie`` (the
version for the visually impaired is a cookie), and never a Set-Cookie.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Response, current_app, make_response, request
from flask_babel import get_locale

from blueprints.public.accessibility import of_request
from mentorship.public.reading import aware, fingerprint

MAX_AGE = 300
RENDER_VERSION = "1"  # raise when the templates change what a page looks like


def _signed_in_cookie() -> bool:
    names = {current_app.config.get("SESSION_COOKIE_NAME", "session"),
             current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")}
    return any(name in request.cookies for name in names)


def variant_parts() -> tuple[str, ...]:
    """What else the page's bytes depend on: the language and the accessibility settings."""
    return (RENDER_VERSION, str(get_locale()), of_request(request).key)


def etag_of(*parts: object) -> str:
    return fingerprint([*parts, *variant_parts()])


def _headers(response: Response, etag: str, last_modified: datetime | None) -> Response:
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = aware(last_modified).replace(microsecond=0)
    if _signed_in_cookie():
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Cookie")
    return response


def not_modified(etag: str, last_modified: datetime | None, *, by_date: bool) -> bool:
    """Whether the visitor's copy is current: its If-None-Match names ``etag``; or, with no
    If-None-Match and ``by_date``, its If-Modified-Since is not older than ``last_modified``."""
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    if by_date and since is not None and last_modified is not None:
        return aware(last_modified).replace(microsecond=0) <= since
    return False


def conditional(etag: str, last_modified: datetime | None, render: Callable[[], object], *,
                by_date: bool = False, mimetype: str | None = None) -> Response:
    """A 304 when the visitor's copy is current, else ``render()``'s response; both with the
    caching headers. ``by_date``: honour If-Modified-Since too (pages whose content can only
    grow newer: an item, a file; a list page whose entries may disappear decides by ETag)."""
    if not_modified(etag, last_modified, by_date=by_date):
        response = Response(status=304)
    else:
        response = make_response(render())
        if mimetype:
            response.mimetype = mimetype
    return _headers(response, etag, last_modified)
