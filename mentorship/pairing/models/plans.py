"""Individual plans (индивидуальный план) of a pair or group and their tasks. Owner-only."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from mentorship.pairing.models.pairs import Mentorship
from tenants.scoping import OwnerOnly

TASK_STATUSES = ("planned", "in_progress", "done", "cancelled")


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


