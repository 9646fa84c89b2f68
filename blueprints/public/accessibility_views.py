"""The toggle of the version for the visually impaired: a plain link (no JavaScript, no form,
no session) that stores the visitor's settings in a cookie and goes back to the page."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from blueprints.public import bp
from blueprints.public.accessibility import COOKIE, COOKIE_MAX_AGE, COOKIE_PATH, changed, of_request
from blueprints.public.visit import template_context


def _back() -> str:
    """Where to return: a public page of this site only (never another host)."""
    target = request.args.get("next") or ""
    if target.startswith("/p/") and "//" not in target and "\\" not in target:
        return target
    return url_for("public.accessibility_help")


@bp.route("/p/accessibility")
def accessibility():
    prefs = changed(of_request(request), request.args)
    response = redirect(_back(), 303)
    if prefs.on:
        response.set_cookie(COOKIE, prefs.cookie_value, max_age=COOKIE_MAX_AGE, path=COOKIE_PATH, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    else:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="Lax", secure=request.is_secure)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/p/accessibility/help")
def accessibility_help():
    """What the version for the visually impaired offers and how to switch it (the toggle's
    landing page when it is not given a page to go back to)."""
    return render_template("public/accessibility.html", **template_context())
