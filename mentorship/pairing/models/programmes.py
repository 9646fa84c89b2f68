"""A school's mentorship programmes (программы наставничества)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
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


