"""Mentorships (наставнические пары и группы), their members and their history. Owner-only."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from mentorship.pairing.models.programmes import Programme
from mentorship.people.models import Participant
from tenants.scoping import OwnerOnly

PAIR_STATUSES = ("active", "completed", "ended_early", "voided")
DECISIONS = ("continue", "finish")
#: A pair entered by mistake and voided (аннулирована): kept in the history, counted nowhere.
VOIDED = "voided"


class Mentorship(OwnerOnly, TimestampMixin, ReprMixin, db.Model):
    """One mentor and one or more mentees in a programme (a pair, or a group)."""

    __tablename__ = "mentorships"
    __repr_fields__ = ("id", "status")
    __table_args__ = (
        sa.CheckConstraint("status IN ('active', 'completed', 'ended_early', 'voided')", name="status"),
        sa.CheckConstraint("(status = 'voided') = (voided_at IS NOT NULL)", name="voided"),
        sa.CheckConstraint("decision IS NULL OR decision IN ('continue', 'finish')", name="decision"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates"),
        sa.Index("ix_mentorships_org_status", "org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="RESTRICT"), index=True)
    form_code: Mapped[str] = mapped_column(sa.String(40))
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    started_on: Mapped[date]
    planned_end_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    decision: Mapped[str | None] = mapped_column(sa.String(10))  # after completion: a new cycle or not
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)  # why it was matched
    matching_run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matching_runs.id", ondelete="SET NULL"))
    # Voided (entered by mistake): when, why and by whom; the status says "voided".
    voided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(sa.Text)
    voided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship()
    mentor: Mapped[Participant] = relationship(foreign_keys=[mentor_id])
    members: Mapped[list[MentorshipMentee]] = relationship(
        back_populates="mentorship", cascade="all, delete-orphan", order_by="MentorshipMentee.id"
    )
    events: Mapped[list[MentorshipEvent]] = relationship(
        back_populates="mentorship", cascade="all, delete-orphan", order_by="MentorshipEvent.id"
    )

    @property
    def is_group(self) -> bool:
        return len(self.members) > 1

    @property
    def is_voided(self) -> bool:
        return self.status == VOIDED

    @classmethod
    def counted(cls) -> sa.ColumnElement[bool]:
        """The pairs every figure counts: all but the voided ones (entered by mistake)."""
        return cls.status != VOIDED


class MentorshipMentee(OwnerOnly, ReprMixin, db.Model):
    __tablename__ = "mentorship_mentees"
    __repr_fields__ = ("id", "mentorship_id", "participant_id")
    __table_args__ = (sa.UniqueConstraint("mentorship_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="RESTRICT"), index=True)

    mentorship: Mapped[Mentorship] = relationship(back_populates="members")
    participant: Mapped[Participant] = relationship()


class MentorshipEvent(OwnerOnly, ReprMixin, db.Model):
    """The history of a mentorship: created, mentee added or removed, completed, ended early …"""

    __tablename__ = "mentorship_events"
    __repr_fields__ = ("id", "action")

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(sa.String(30))
    note: Mapped[str | None] = mapped_column(sa.Text)
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="events")
    by_user = relationship("User")


