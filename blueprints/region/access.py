"""Who may see and change the region's configuration: the ministry's members see it, its
admin changes it (403 for the analyst); routes with an id answer 404 outside the ministry."""
from __future__ import annotations

from flask import abort

from tenants.access import current_membership, current_org
from tenants.models import Organization
from tenants.roles import OrgKind, Role

MINISTRY_ROLES = (Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST)


def region() -> Organization:
    """The ministry the user acts for (its region)."""
    return current_org._get_current_object()


def can_edit() -> bool:
    membership = current_membership()
    return membership is not None and membership.role == Role.MINISTRY_ADMIN.value


def admin_only() -> None:
    if not can_edit():
        abort(403)


def ministry_or_404() -> None:
    """For routes with an id: outside the ministry the object does not exist."""
    membership = current_membership()
    if membership is None or membership.org.kind != OrgKind.MINISTRY.value:
        abort(404)
