"""The landing redirect and the health check."""
from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user

from blueprints.main import bp
from core.health import check_broker, check_database
from tenants.access import current_membership


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    membership = current_membership()
    if membership is None:
        if current_user.is_superadmin:
            return redirect(url_for("superadmin.regions"))
        return redirect(url_for("main.no_membership"))
    return redirect(url_for("orgs.home", org_id=membership.org_id))


@bp.route("/no-organisation")
def no_membership():
    return render_template("main/no_membership.html")


@bp.route("/healthz")
def healthz():
    checks = {"database": check_database(), "broker": check_broker(current_app.extensions["celery"])}
    healthy = all(ok for ok, _ in checks.values())
    # Public endpoint: say what is down, not which software or which error.
    body = {"status": "ok" if healthy else "fail", "checks": {k: ok for k, (ok, _detail) in checks.items()}}
    return jsonify(body), 200 if healthy else 503
