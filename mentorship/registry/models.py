"""The municipal registry of mentors (реестр наставников): one entry per mentor who consented
to it, kept by the mentor's school and seen upward (``SharedUpward``) — by the municipal body
and the ministry, never by a sibling school.

The entry is a snapshot of what the mentor agreed to show, written by the school's own
services (``entries.refresh_entry`` on ``mentor_changed``): the body above cannot read the
school's owner-only records, and needs not. It disappears at once when the consent is
withdrawn, the mentor leaves the bank or the person is erased. Mentees never have entries:
the registry shows them as counts only (``counts``).
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.scoping import SharedUpward


class RegistryEntry(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    __tablename__ = "registry_entries"
    __repr_fields__ = ("id", "participant_id")
    __table_args__ = (
        sa.UniqueConstraint("participant_id"),
        sa.Index("ix_registry_entries_org_name", "org_id", "full_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(sa.String(300))
    category: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    subjects: Mapped[str | None] = mapped_column(sa.String(500))
    competencies: Mapped[list] = mapped_column(sa.JSON, default=list)
    forms: Mapped[list] = mapped_column(sa.JSON, default=list)  # form codes the mentor works in
    trained: Mapped[bool] = mapped_column(default=False, index=True)
    training_title: Mapped[str | None] = mapped_column(sa.String(300))
    trained_on: Mapped[date | None]
    training_hours: Mapped[int | None]
    # [{"kind", "title", "on", "by"}] — the mentor's awards, newest first
    awards: Mapped[list] = mapped_column(sa.JSON, default=list)
