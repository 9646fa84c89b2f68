"""Error pages: no stack traces outside development; CSRF failures are 400."""
from __future__ import annotations

from flask import Flask, Response, flash, render_template
from flask_wtf.csrf import CSRFError

from core.errors import DomainError
from core.extensions import db
from tenants.context import TenantScopeError

_PAGES = {400, 403, 404, 405, 413, 429}


def has_url_adapter() -> bool:
    from flask import has_request_context
    from flask.globals import request_ctx

    return has_request_context() and request_ctx.url_adapter is not None


def register_error_handlers(app: Flask) -> None:
    def _page(code: int):
        def handler(error):
            if not has_url_adapter():
                # e.g. a Host outside TRUSTED_HOSTS: no URL can be built, so no layout.
                return Response(f"{code}\n", status=code, mimetype="text/plain")
            return render_template("errors/error.html", code=code, error=error), code

        return handler

    for code in _PAGES:
        app.register_error_handler(code, _page(code))

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_template("errors/error.html", code=400, error=error, csrf=True), 400

    @app.errorhandler(TenantScopeError)
    def _scope(error):
        # A scope violation is never shown as such: the object does not exist for this user.
        app.logger.warning("tenant scope refused a request: %s", error)
        db.session.rollback()
        return render_template("errors/error.html", code=404, error=None), 404

    @app.errorhandler(DomainError)
    def _refused(error: DomainError):
        # What the domain refused and no view caught: its messages, with its status (a 404
        # says nothing more than any other 404).
        db.session.rollback()
        if not has_url_adapter():
            return Response(f"{error.status}\n", status=error.status, mimetype="text/plain")
        shown = None if error.status == 404 else error
        return render_template("errors/error.html", code=error.status, error=None, refused=shown), error.status

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        return render_template("errors/error.html", code=500, error=None), 500


def flash_error(error: DomainError) -> None:
    """Show what the domain refused on the next page (an action without a form of its own)."""
    for _field, message in error.messages:
        flash(message, "danger")
