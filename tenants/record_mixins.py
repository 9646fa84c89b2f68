"""Columns that several tenant-owned models share, declared once.

``StoredFile`` — an uploaded file kept in the database (roadmap evidence, report attachments):
checked by content before it is stored (core/uploads.py), its bytes deferred so lists never
load them. ``WorkflowStep`` — one step of an approval workflow (roadmaps, reports): who, for
which organisation, when, from which status to which, with which comment. Table names and
columns are unchanged; only their declaration is shared.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from core.model import utcnow


class StoredFile:
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class WorkflowStep:
    action: Mapped[str] = mapped_column(sa.String(20))
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    by_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    comment: Mapped[str | None] = mapped_column(sa.Text)

    @declared_attr
    def by_user(cls):
        return relationship("User")
