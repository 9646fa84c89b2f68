"""The work of a mentorship: individual plan and its tasks, meetings, feedback, completion
reviews and mentor incentives. All owner-only."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from mentorship.pair_models import Mentorship
from mentorship.participant_models import Participant
from tenants.scoping import OwnerOnly

TASK_STATUSES = ("planned", "in_progress", "done", "cancelled")
MEETING_KINDS = ("organisational", "trial", "planning", "regular", "final")
MEETING_FORMATS = ("in_person", "online")
AUTHOR_ROLES = ("mentor", "mentee", "curator")
INCENTIVE_KINDS = ("thanks", "certificate", "bonus", "nomination", "other")


class IndividualPlan(OwnerOnly, TimestampMixin, ReprMixin, db.Model):
    """Индивидуальный план (персонализированная программа) of a pair or group."""

    __tablename__ = "individual_plans"
    __table_args__ = (sa.UniqueConstraint("mentorship_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"))
    goals: Mapped[str | None] = mapped_column(sa.Text)

    mentorship: Mapped[Mentorship] = relationship()
    tasks: Mapped[list[PlanTask]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanTask.position, PlanTask.id"
    )


class PlanTask(OwnerOnly, ReprMixin, db.Model):
    __tablename__ = "plan_tasks"
    __repr_fields__ = ("id", "status")
    __table_args__ = (sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'cancelled')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("individual_plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")
    done_on: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[IndividualPlan] = relationship(back_populates="tasks")


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


class FeedbackEntry(OwnerOnly, ReprMixin, db.Model):
    """Intermediate feedback (промежуточная обратная связь) on a mentorship."""

    __tablename__ = "feedback_entries"
    __table_args__ = (
        sa.CheckConstraint("author_role IN ('mentor', 'mentee', 'curator')", name="author_role"),
        sa.CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 10)", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    author_role: Mapped[str] = mapped_column(sa.String(20))
    written_on: Mapped[date]
    rating: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text)

    mentorship: Mapped[Mentorship] = relationship()


class CompletionReview(OwnerOnly, ReprMixin, db.Model):
    """Отзыв о результатах наставничества, by the mentor or by a mentee, one each."""

    __tablename__ = "completion_reviews"
    __table_args__ = (
        sa.UniqueConstraint("mentorship_id", "participant_id"),
        sa.CheckConstraint("author_role IN ('mentor', 'mentee')", name="author_role"),
        sa.CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 10)", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="RESTRICT"))
    author_role: Mapped[str] = mapped_column(sa.String(20))
    written_on: Mapped[date]
    rating: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text)

    mentorship: Mapped[Mentorship] = relationship()
    participant: Mapped[Participant] = relationship()


class Incentive(OwnerOnly, ReprMixin, db.Model):
    """A mentor's incentive (поощрение): a letter of thanks, a certificate, a bonus …"""

    __tablename__ = "incentives"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('thanks', 'certificate', 'bonus', 'nomination', 'other')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="RESTRICT"), index=True)
    mentorship_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    awarded_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.Text)

    participant: Mapped[Participant] = relationship()
