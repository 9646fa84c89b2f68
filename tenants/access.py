"""Per-request tenant resolution, the user loader, and role decorators.

The current organisation is resolved in exactly one place (``_resolve_tenant``): the signed-in
user's active membership, chosen with the switcher and kept in the session. Every request
starts with no scope and ends with none.
"""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.local import LocalProxy

from core.extensions import db, login_manager
from tenants.context import TenantScope, clear_scope, set_scope, unscoped
from tenants.memberships import memberships_of
from tenants.models import Membership, Organization, User
from tenants.roles import ADMIN_ROLES, OrgKind, Role
from tenants.session import install_session_guards

ACTIVE_MEMBERSHIP_KEY = "membership_id"


def _load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the cookie carries ``id:session_version``."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, uid)
    if user is None or not user.is_active or user.session_version != version:
        return None
    return user


def _resolve_tenant() -> None:
    clear_scope()
    g.membership = None
    g.memberships = []
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    memberships = memberships_of(current_user)
    g.memberships = memberships
    chosen = session.get(ACTIVE_MEMBERSHIP_KEY)
    membership = next((m for m in memberships if m.id == chosen), None)
    if membership is None and memberships:
        membership = memberships[0]
        session[ACTIVE_MEMBERSHIP_KEY] = membership.id
    if membership is not None:
        g.membership = membership
        set_scope(TenantScope(org_id=membership.org_id, path=membership.org.path))


def current_membership() -> Membership | None:
    return g.get("membership")


current_org: Organization = LocalProxy(lambda: g.membership.org)  # type: ignore[assignment]


def switch_membership(membership_id: int) -> bool:
    """Make another of the user's memberships the active one."""
    if any(m.id == membership_id for m in g.get("memberships", [])):
        session[ACTIVE_MEMBERSHIP_KEY] = membership_id
        return True
    return False


def membership_required(view):
    """The user must be signed in and act for an organisation."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_membership() is None:
            if current_user.is_superadmin:
                return redirect(url_for("superadmin.regions"))
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def roles_required(*roles: Role):
    allowed = {r.value for r in roles}

    def decorator(view):
        @wraps(view)
        @membership_required
        def wrapper(*args, **kwargs):
            if current_membership().role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


admin_required = roles_required(*ADMIN_ROLES)


def school_required(view):
    """The user acts for a school (as its principal or a curator); otherwise 404.

    What a school keeps about people is its own (DESIGN §4): for anyone acting for a municipal
    body or the ministry it does not exist — the same 404 the tenant scope gives for another
    school's object, so nothing reveals what a school keeps."""

    @wraps(view)
    @membership_required
    def wrapper(*args, **kwargs):
        if current_membership().org.kind != OrgKind.SCHOOL.value:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def superadmin_required(view):
    """Super-admin pages run with the explicit system scope (regions span tenants)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_superadmin:
            abort(404)
        with unscoped("superadmin"):
            return view(*args, **kwargs)

    return wrapper


def get_or_404(model, ident):
    """Load by primary key through the tenant scope: another tenant's object is a 404."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        abort(404)
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def init_tenancy(app: Flask) -> None:
    install_session_guards()
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    app.before_request(_resolve_tenant)

    @app.teardown_request
    def _clear(_exc):
        clear_scope()

    @app.context_processor
    def _inject():
        return {"current_membership": current_membership(), "user_memberships": g.get("memberships", [])}


__all__ = [
    "admin_required",
    "current_membership",
    "current_org",
    "get_or_404",
    "init_tenancy",
    "membership_required",
    "roles_required",
    "superadmin_required",
    "switch_membership",
]
