"""In-app notifications for an organisation (workflow steps, reminders).

A notification is owned by the organisation it is *about* (a school's roadmap: the school),
so that both sides of a workflow may write and read it within their scopes; it is shown to
``recipient_org_id``.
"""
from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from tenants.models import Notification


def notify(recipient_org_id: int, about_org_id: int, kind: str, text: str, link: str | None = None) -> Notification:
    """Add a notification for ``recipient_org_id`` about ``about_org_id``'s object (committed
    with the caller's change)."""
    notification = Notification(org_id=about_org_id, recipient_org_id=recipient_org_id, kind=kind, text=text, link=link)
    db.session.add(notification)
    return notification


def unread_for(org_id: int) -> sa.Select:
    return (
        sa.select(Notification)
        .where(Notification.recipient_org_id == org_id, Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc())
    )
