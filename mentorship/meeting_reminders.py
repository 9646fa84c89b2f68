"""Weekly reminders to a school's curators of pairs with no recent meeting: one per school and
week, made exactly-once by a unique key (a repeated or concurrent task sends nothing twice)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, utcnow
from tenants.scoping import OwnerOnly


class MeetingGapReminder(OwnerOnly, ReprMixin, db.Model):
    __tablename__ = "meeting_gap_reminders"
    __repr_fields__ = ("id", "week_of")
    __table_args__ = (sa.UniqueConstraint("org_id", "week_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week_of: Mapped[date]  # the Monday of the week
    pairs_flagged: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
