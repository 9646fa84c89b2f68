"""Who may do what with surveys.

Seeing: every member of an organisation sees the templates and campaigns along its line
(``Lineage``: its own, those of the levels above it, those of the levels below it); another
line's object is not found (404) by the tenant scope itself. Managing (edit, launch, close, a
new version): the owner organisation only, by any role except the ministry's analyst — for
anyone else the object is not theirs to manage, and the answer is the same 404.
"""
from __future__ import annotations

from functools import wraps

from flask import abort

from tenants.access import current_membership, membership_required
from tenants.roles import Role

READ_ONLY_ROLES = frozenset({Role.MINISTRY_ANALYST.value})


def surveys_required(view):
    """Any member of any organisation (the pages show what the scope lets them see)."""
    return membership_required(view)


def can_manage() -> bool:
    membership = current_membership()
    return membership is not None and membership.role not in READ_ONLY_ROLES


def manage_required(view):
    """A role that may create and change surveys; 403 for a read-only role."""

    @wraps(view)
    @membership_required
    def wrapper(*args, **kwargs):
        if not can_manage():
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def owned_or_404(obj):
    """``obj`` (already loaded through the scope) if the current organisation owns it and may
    manage it; 404 otherwise (seeing a ministry's campaign is not managing it)."""
    membership = current_membership()
    if obj is None or membership is None or obj.org_id != membership.org_id or not can_manage():
        abort(404)
    return obj
