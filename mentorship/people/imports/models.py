"""Bulk imports of participants: the uploaded file's validation result and its progress."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, utcnow
from tenants.scoping import OwnerOnly

IMPORT_STATUSES = ("invalid", "valid", "queued", "running", "done", "failed")


class ImportBatch(OwnerOnly, ReprMixin, db.Model):
    """An uploaded file: validated on upload (every error by row, column and why); imported
    all-or-nothing by a task that reports its progress here."""

    __tablename__ = "import_batches"
    __repr_fields__ = ("id", "status", "processed", "total")
    __table_args__ = (
        sa.CheckConstraint("status IN ('invalid', 'valid', 'queued', 'running', 'done', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="participants")
    filename: Mapped[str] = mapped_column(sa.String(255))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)  # erased once imported
    status: Mapped[str] = mapped_column(sa.String(20))
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{row, column, message}]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
