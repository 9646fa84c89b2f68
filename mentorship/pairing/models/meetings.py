"""Meetings of a pair or group (встречи), and the weekly reminders about pairs without one."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, utcnow
from mentorship.pairing.models.pairs import Mentorship
from tenants.scoping import OwnerOnly

MEETING_KINDS = ("organisational", "trial", "planning", "regular", "final")


MEETING_FORMATS = ("in_person", "online")


class Meeting(OwnerOnly, ReprMixin, db.Model):
    __tablename__ = "meetings"
    __repr_fields__ = ("id", "kind", "held_on")
    __table_args__ = (
        sa.CheckConstraint("kind IN ('organisational', 'trial', 'planning', 'regular', 'final')", name="kind"),
        sa.CheckConstraint("format IN ('in_person', 'online')", name="format"),
        sa.CheckConstraint("duration_minutes > 0 AND duration_minutes <= 600", name="duration"),
        sa.Index("ix_meetings_mentorship_held", "mentorship_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    held_on: Mapped[date]
    duration_minutes: Mapped[int] = mapped_column(default=45)
    format: Mapped[str] = mapped_column(sa.String(20), default="in_person")
    topic: Mapped[str | None] = mapped_column(sa.String(500))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    mentorship: Mapped[Mentorship] = relationship()


class MeetingGapReminder(OwnerOnly, ReprMixin, db.Model):
    __tablename__ = "meeting_gap_reminders"
    __repr_fields__ = ("id", "week_of")
    __table_args__ = (sa.UniqueConstraint("org_id", "week_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week_of: Mapped[date]  # the Monday of the week
    pairs_flagged: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
