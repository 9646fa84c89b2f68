"""Roadmaps (дорожные карты): stages, activities, evidence, and the approval history.

All shared upward: a school's roadmap is seen by its municipal body and the ministry.
A roadmap belongs to a *lineage* (the same plan across versions); an approved version is
never edited — a change starts the next version.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from mentorship.roadmaps.builtin import RoadmapTemplate, parse_template
from mentorship.roadmaps.deadlines import Period
from tenants.record_mixins import StoredFile, WorkflowStep
from tenants.scoping import OwnerOnly, RegionWide, SharedUpward

STATUSES = ("draft", "submitted", "returned", "approved")


class Roadmap(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    __tablename__ = "roadmaps"
    __repr_fields__ = ("id", "status", "version")
    __table_args__ = (
        sa.UniqueConstraint("lineage_id", "version", name="lineage_version"),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'approved')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lineage_id: Mapped[int | None] = mapped_column(index=True)  # the first version's id
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roadmaps.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(500))
    period_text: Mapped[str | None] = mapped_column(sa.String(120))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft", index=True)
    template_key: Mapped[str | None] = mapped_column(sa.String(80))
    # Text around the table, as the documents print it: the goals and tasks before it, a note
    # under it («* Органы, участвующие в реализации плана по согласованию.»).
    preamble: Mapped[str | None] = mapped_column(sa.Text)
    footnote: Mapped[str | None] = mapped_column(sa.Text)
    # The day the plan came into force: its lineage's first approval (later versions keep it).
    # A recurring deadline's occurrences before it were never due (deadlines.Period.since).
    in_force_from: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    stages: Mapped[list[RoadmapStage]] = relationship(
        back_populates="roadmap", order_by="RoadmapStage.position", cascade="all, delete-orphan"
    )
    transitions: Mapped[list[RoadmapTransition]] = relationship(
        back_populates="roadmap", order_by="RoadmapTransition.id", cascade="all, delete-orphan"
    )

    @property
    def editable(self) -> bool:
        return self.status in ("draft", "returned")

    @property
    def period(self) -> Period:
        """The span its due dates are computed in, from the day it came into force."""
        return Period(self.period_start, self.period_end, self.in_force_from)


class _PlanItem:
    """Fields a stage and an activity share: the seeds' table columns."""

    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[str | None] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.Text)
    content: Mapped[str | None] = mapped_column(sa.Text)
    key_result: Mapped[str | None] = mapped_column(sa.Text)
    deadline_text: Mapped[str | None] = mapped_column(sa.String(300))
    deadline: Mapped[dict | None] = mapped_column(sa.JSON)  # mentorship.roadmaps.deadlines.Deadline.as_json()
    responsible: Mapped[str | None] = mapped_column(sa.Text)
    documents: Mapped[list] = mapped_column(sa.JSON, default=list)
    # A deadline taken over from a template or an earlier roadmap (mentorship.roadmaps.moving):
    # the wording before it was moved into this roadmap's period, and what the author must
    # still confirm or change before submission ("outside" the period, already "passed").
    deadline_moved_from: Mapped[str | None] = mapped_column(sa.String(300))
    deadline_flag: Mapped[str | None] = mapped_column(sa.String(20))


def _flag_check() -> sa.CheckConstraint:
    return sa.CheckConstraint("deadline_flag IS NULL OR deadline_flag IN ('outside', 'passed')", name="deadline_flag")


class RoadmapStage(_PlanItem, SharedUpward, ReprMixin, db.Model):
    """A stage: a heading over its activities, or — without activities — a step of its own
    (seed 004's «Подготовка условий…»), marked done with evidence like an activity."""

    __tablename__ = "roadmap_stages"
    __table_args__ = (_flag_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmaps.id", ondelete="CASCADE"), index=True)
    # The same stage across versions: the id of its first appearance (None: it is the first).
    origin_stage_id: Mapped[int | None] = mapped_column(index=True)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    done_note: Mapped[str | None] = mapped_column(sa.Text)

    roadmap: Mapped[Roadmap] = relationship(back_populates="stages")
    activities: Mapped[list[RoadmapActivity]] = relationship(
        back_populates="stage", order_by="RoadmapActivity.position", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[StageEvidence]] = relationship(
        back_populates="stage", order_by="StageEvidence.id", cascade="all, delete-orphan"
    )

    @property
    def origin_id(self) -> int:
        return self.origin_stage_id or self.id

    @property
    def is_step(self) -> bool:
        """A stage without activities is executed (and counted) as one step."""
        return not self.activities


class RoadmapActivity(_PlanItem, SharedUpward, ReprMixin, db.Model):
    __tablename__ = "roadmap_activities"
    __table_args__ = (_flag_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap_stages.id", ondelete="CASCADE"), index=True)
    roadmap_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmaps.id", ondelete="CASCADE"), index=True)
    # The same activity across versions: the id of its first appearance (None: it is the first).
    origin_activity_id: Mapped[int | None] = mapped_column(index=True)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    done_note: Mapped[str | None] = mapped_column(sa.Text)

    stage: Mapped[RoadmapStage] = relationship(back_populates="activities")
    roadmap: Mapped[Roadmap] = relationship()

    @property
    def origin_id(self) -> int:
        return self.origin_activity_id or self.id
    evidence: Mapped[list[ActivityEvidence]] = relationship(
        back_populates="activity", order_by="ActivityEvidence.id", cascade="all, delete-orphan"
    )


class ActivityEvidence(OwnerOnly, StoredFile, ReprMixin, db.Model):
    """A file that proves an activity was done (приказ, протокол, согласие, фото …).

    Owner-only: such files (consents, individual plans, databases of mentees) carry personal
    data, often minors'; the bodies above see that an activity is done, not the files."""

    __tablename__ = "activity_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap_activities.id", ondelete="CASCADE"), index=True)

    activity: Mapped[RoadmapActivity] = relationship(back_populates="evidence")


class StageEvidence(OwnerOnly, StoredFile, ReprMixin, db.Model):
    """A file that proves a stage without activities was done; owner-only, as ActivityEvidence."""

    __tablename__ = "stage_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap_stages.id", ondelete="CASCADE"), index=True)

    stage: Mapped[RoadmapStage] = relationship(back_populates="evidence")


class RoadmapTransition(SharedUpward, WorkflowStep, ReprMixin, db.Model):
    """One step of the approval workflow: who, when, what, with which comment."""

    __tablename__ = "roadmap_transitions"
    __repr_fields__ = ("id", "action")

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmaps.id", ondelete="CASCADE"), index=True)
    # action: created | submitted | returned | approved | new_version

    roadmap: Mapped[Roadmap] = relationship(back_populates="transitions")
    activity_comments: Mapped[list[ActivityComment]] = relationship(
        back_populates="transition", cascade="all, delete-orphan"
    )


class ActivityComment(SharedUpward, ReprMixin, db.Model):
    """A reviewer's comment on one activity, given with a return."""

    __tablename__ = "roadmap_activity_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    transition_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap_transitions.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap_activities.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)

    transition: Mapped[RoadmapTransition] = relationship(back_populates="activity_comments")
    activity: Mapped[RoadmapActivity] = relationship()


class PublishedTemplate(RegionWide, ReprMixin, db.Model):
    __tablename__ = "published_roadmap_templates"
    __table_args__ = (sa.UniqueConstraint("source_roadmap_id", name="source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_roadmap_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roadmaps.id", ondelete="SET NULL"))
    lineage_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    data: Mapped[dict] = mapped_column(sa.JSON)  # the seed_roadmaps/FORMAT.md structure
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def key(self) -> str:
        return f"published-{self.id}"

    def as_template(self) -> RoadmapTemplate:
        return parse_template(self.data, origin=self.key)


class RoadmapReminder(SharedUpward, ReprMixin, db.Model):
    """A reminder that has been sent (claimed): one per activity, due date and kind."""

    __tablename__ = "roadmap_reminders"
    __repr_fields__ = ("id", "activity_id", "due_date", "kind")
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "due_date", "kind"),
        sa.CheckConstraint("kind IN ('before', 'after')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Leading column of the unique key, which serves as its index.
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap_activities.id", ondelete="CASCADE"))
    due_date: Mapped[date] = mapped_column(sa.Date, index=True)  # the planning query reads a window of dates
    kind: Mapped[str] = mapped_column(sa.String(10))
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
