"""Absolute links for e-mails and printed sheets, one way in requests and in workers.

Built on ``PUBLIC_BASE_URL`` (required in production: a link never depends on a request's
Host header, and a worker has no request). Without it — development and tests only — on the
request's host or ``SERVER_NAME``, else on http://localhost. The URL adapter is bound once,
with no request context (whose teardown would clear the caller's tenant scope).
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def url_builder() -> Callable[..., str]:
    """A function ``(endpoint, **values) -> absolute URL``; bind it once for many links."""
    config = current_app.config
    base = config.get("PUBLIC_BASE_URL")
    if not base and (has_request_context() or config.get("SERVER_NAME")):
        return lambda endpoint, **values: url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://localhost")
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return lambda endpoint, **values: adapter.build(endpoint, values, force_external=True)


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` with ``values``."""
    return url_builder()(endpoint, **values)


def absolute_url(path: str) -> str:
    """``path`` (starting with «/») on the service's public address (the path alone in a
    development worker without ``PUBLIC_BASE_URL``)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    return base.rstrip("/") + path if base else path
