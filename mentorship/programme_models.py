"""A school's mentorship programmes (программы наставничества) and its contingent figures."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.scoping import SharedUpward


class Programme(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """A programme for one form and one school year (no personal data: shared upward)."""

    __tablename__ = "programmes"
    __repr_fields__ = ("id", "form_code", "school_year")
    __table_args__ = (
        sa.CheckConstraint("school_year BETWEEN 2000 AND 2100", name="school_year"),
        sa.CheckConstraint("meeting_gap_weeks BETWEEN 1 AND 26", name="meeting_gap"),
        sa.CheckConstraint("status IN ('active', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    form_code: Mapped[str] = mapped_column(sa.String(40))
    school_year: Mapped[int]  # the year the school year starts (2024 = 2024/25)
    goals: Mapped[str | None] = mapped_column(sa.Text)
    expected_results: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    # A pair with no meeting for this many weeks is flagged, and the curator reminded.
    meeting_gap_weeks: Mapped[int] = mapped_column(default=3)


class ContingentRecord(SharedUpward, ReprMixin, db.Model):
    """The school's figures for a school year — denominators of the indicators. Append-only:
    the latest record of a year is current, the earlier ones are its history."""

    __tablename__ = "contingent_records"
    __repr_fields__ = ("id", "school_year")
    __table_args__ = (
        sa.Index("ix_contingent_org_year", "org_id", "school_year", "id"),
        sa.CheckConstraint(
            "pupils_10_19 >= 0 AND pupils_15_19 >= 0 AND teachers >= 0 AND young_specialists >= 0", name="non_negative"
        ),
        sa.CheckConstraint("pupils_15_19 <= pupils_10_19", name="age_bands"),
        sa.CheckConstraint("young_specialists <= teachers", name="young_specialists"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[int]
    pupils_10_19: Mapped[int]
    pupils_15_19: Mapped[int]
    teachers: Mapped[int]
    young_specialists: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(sa.String(20), default="form")  # form | import

    recorded_by = relationship("User")
