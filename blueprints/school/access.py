"""Access to a school's own pages: its principal and curators only.

Everything under /school is the school's personal data (DESIGN §4): for anyone acting for a
municipal body or the ministry it does not exist — 404, the same answer the tenant scope
gives for another school's object, so nothing reveals what a school keeps."""
from __future__ import annotations

from functools import wraps

from flask import abort

from tenants.access import current_membership, membership_required
from tenants.roles import OrgKind


def school_required(view):
    """The user acts for a school (as its principal or a curator); otherwise 404."""

    @wraps(view)
    @membership_required
    def wrapper(*args, **kwargs):
        if current_membership().org.kind != OrgKind.SCHOOL.value:
            abort(404)
        return view(*args, **kwargs)

    return wrapper
