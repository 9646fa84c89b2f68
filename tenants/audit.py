"""The audit log: who, when, what, from where."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from core.extensions import db
from tenants.models import AuditEvent, Organization
from tenants.scoping import subtree_bounds


ACTION_LABELS = {
    "login.success": _l("Signed in"),
    "login.failed": _l("Failed sign-in"),
    "logout": _l("Signed out"),
    "password.reset_requested": _l("Asked for a password reset"),
    "password.reset": _l("Reset the password"),
    "invitation.created": _l("Invited a user"),
    "invitation.revoked": _l("Revoked an invitation"),
    "membership.created": _l("Joined the organisation"),
    "membership.enabled": _l("Enabled a member"),
    "membership.disabled": _l("Disabled a member"),
    "membership.role_changed": _l("Changed a member's role"),
    "organization.created": _l("Created an organisation"),
    "region.created": _l("Created a region"),
    "region.settings_changed": _l("Changed the region's settings"),
    "roadmap.submit": _l("Submitted a roadmap"),
    "roadmap.return": _l("Returned a roadmap"),
    "roadmap.approve": _l("Approved a roadmap"),
    "roadmap.activity_done": _l("Marked an activity done"),
    "roadmap.activity_reopened": _l("Reopened an activity"),
    "roadmap.evidence_viewed": _l("Opened evidence"),
    "roadmap.exported": _l("Exported a roadmap"),
    "roadmap.published": _l("Published the region's model roadmap"),
    "roadmap.deleted": _l("Deleted a draft roadmap"),
    "roadmap.evidence_removed": _l("Removed an evidence file"),
    "roadmap.bulk_reminder": _l("Reminded schools about roadmaps"),
}


def record(
    action: str,
    *,
    org: Organization | None = None,
    obj: Any = None,
    user=None,
    details: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it commits with the change it describes."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    event = AuditEvent(
        action=action,
        user_id=getattr(user, "id", None),
        org_id=org.id if org is not None else None,
        org_path=org.path if org is not None else None,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) is not None else None,
        details=details or {},
    )
    if has_request_context():
        event.ip = request.remote_addr
        event.user_agent = (request.user_agent.string or "")[:300]
    db.session.add(event)
    return event


def events_for(org: Organization, *, search: str | None = None) -> sa.Select:
    """Events of ``org`` and its subtree, newest first (``org`` came through the scope)."""
    low, high = subtree_bounds(org.path)
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.org_path >= low, AuditEvent.org_path < high)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if search:
        stmt = stmt.where(AuditEvent.action.ilike(f"%{search}%"))
    return stmt
