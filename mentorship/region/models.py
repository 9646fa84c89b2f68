"""The region's own data: its catalogue of mentorship forms and its settings (calendar,
approval), owned by the ministry and read across the region (``RegionWide``)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.scoping import RegionWide


class MentorshipForm(RegionWide, TimestampMixin, ReprMixin, db.Model):
    """A form in the ministry's catalogue (owned by the ministry, read across the region)."""

    __tablename__ = "mentorship_forms"
    __repr_fields__ = ("id", "code")
    __table_args__ = (
        sa.UniqueConstraint("org_id", "code"),
        sa.CheckConstraint("mentor_category IN ('pupil', 'student', 'teacher', 'employer')", name="mentor_category"),
        sa.CheckConstraint("mentee_category IN ('pupil', 'student', 'teacher', 'employer')", name="mentee_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    mentor_category: Mapped[str] = mapped_column(sa.String(20))
    mentee_category: Mapped[str] = mapped_column(sa.String(20))
    mentee_special_needs: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class RegionSettings(RegionWide, TimestampMixin, ReprMixin, db.Model):
    __tablename__ = "region_settings"
    __table_args__ = (
        sa.UniqueConstraint("org_id", name="org"),
        sa.CheckConstraint(
            "reference_month_1 BETWEEN 1 AND 12 AND reference_month_2 BETWEEN 1 AND 12"
            " AND school_report_month BETWEEN 1 AND 12 AND municipal_report_month BETWEEN 1 AND 12"
            " AND reference_day_1 BETWEEN 1 AND 31 AND reference_day_2 BETWEEN 1 AND 31"
            " AND school_report_day BETWEEN 1 AND 31 AND municipal_report_day BETWEEN 1 AND 31",
            name="calendar",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Municipal roadmaps are approved by the ministry (otherwise the municipal body approves its own).
    municipal_roadmaps_need_approval: Mapped[bool] = mapped_column(default=False)
    # The monitoring calendar (mentorship/monitoring/periods.py validates the dates).
    reference_month_1: Mapped[int] = mapped_column(default=6, server_default="6")
    reference_day_1: Mapped[int] = mapped_column(default=20, server_default="20")
    reference_month_2: Mapped[int] = mapped_column(default=12, server_default="12")
    reference_day_2: Mapped[int] = mapped_column(default=20, server_default="20")
    school_report_month: Mapped[int] = mapped_column(default=11, server_default="11")
    school_report_day: Mapped[int] = mapped_column(default=20, server_default="20")
    municipal_report_month: Mapped[int] = mapped_column(default=11, server_default="11")
    municipal_report_day: Mapped[int] = mapped_column(default=30, server_default="30")
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Moscow", server_default="Europe/Moscow")
