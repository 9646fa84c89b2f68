"""Reports up the hierarchy after each reference date (DESIGN §2 ``Report``): a school's
semiannual report to its municipal body, the municipal body's consolidated report to the
ministry, their history and attachments, the reminders sent about them, and the ministry's
(or a municipal body's) generated analytical report (информационно-аналитическая справка).

All shared upward: a report is read by its author and the bodies above it. Figures are not
copied here: they are the period's frozen snapshots (``MetricSnapshot``)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from mentorship.monitoring.models import MonitoringPeriod
from tenants.record_mixins import StoredFile, WorkflowStep
from tenants.scoping import SharedUpward

REPORT_KINDS = ("school", "municipal")
REPORT_STATUSES = ("draft", "submitted", "returned", "accepted")


class Report(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """One organisation's report for one period: narrative fields the seeds ask for; the
    figures are the period's snapshots of the organisation."""

    __tablename__ = "reports"
    __repr_fields__ = ("id", "kind", "status")
    __table_args__ = (
        sa.UniqueConstraint("period_id", "org_id"),
        sa.CheckConstraint("kind IN ('school', 'municipal')", name="kind"),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'accepted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("monitoring_periods.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    due_on: Mapped[date]
    work_done: Mapped[str | None] = mapped_column(sa.Text)  # what was done
    problems: Mapped[str | None] = mapped_column(sa.Text)
    best_practices: Mapped[str | None] = mapped_column(sa.Text)
    plans: Mapped[str | None] = mapped_column(sa.Text)  # plans for the next period
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)  # optimistic lock: a double submit is refused

    period: Mapped[MonitoringPeriod] = relationship()
    attachments: Mapped[list[ReportAttachment]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportAttachment.id"
    )
    transitions: Mapped[list[ReportTransition]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportTransition.id"
    )

    __mapper_args__ = {"version_id_col": version}


class ReportAttachment(SharedUpward, StoredFile, ReprMixin, db.Model):
    __tablename__ = "report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True)

    report: Mapped[Report] = relationship(back_populates="attachments")


class ReportTransition(SharedUpward, WorkflowStep, ReprMixin, db.Model):
    """A step of a report's workflow: submitted, returned (with comments), accepted."""

    __tablename__ = "report_transitions"
    __repr_fields__ = ("id", "action")

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True)

    report: Mapped[Report] = relationship(back_populates="transitions")


class ReportReminder(SharedUpward, ReprMixin, db.Model):
    """A reminder sent to an organisation that has not submitted its report for a period by a
    deadline: one per organisation, period and deadline (a unique key makes it exactly-once)."""

    __tablename__ = "report_reminders"
    __table_args__ = (sa.UniqueConstraint("org_id", "period_id", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("monitoring_periods.id", ondelete="CASCADE"))
    deadline: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


ANALYTICAL_STATUSES = ("queued", "running", "done", "failed")


class AnalyticalReport(SharedUpward, ReprMixin, db.Model):
    """A generated информационно-аналитическая справка for a period and a level (the region,
    or one municipal body): built by a Celery task with progress, downloadable afterwards."""

    __tablename__ = "analytical_reports"
    __repr_fields__ = ("id", "status")
    __table_args__ = (
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        sa.CheckConstraint("done >= 0 AND done <= total", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("monitoring_periods.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    docx: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    xlsx: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    period: Mapped[MonitoringPeriod] = relationship()
