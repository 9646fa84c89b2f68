"""A region's settings, owned by its ministry and readable across the region: roadmap
approval, and the monitoring calendar (two reference dates a year, default 20 June and
20 December; the schools' and the municipal report deadlines; the region's time zone)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.models import Organization
from tenants.scoping import RegionWide, region_path


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
    # The monitoring calendar (mentorship/monitoring_calendar.py validates the dates).
    reference_month_1: Mapped[int] = mapped_column(default=6, server_default="6")
    reference_day_1: Mapped[int] = mapped_column(default=20, server_default="20")
    reference_month_2: Mapped[int] = mapped_column(default=12, server_default="12")
    reference_day_2: Mapped[int] = mapped_column(default=20, server_default="20")
    school_report_month: Mapped[int] = mapped_column(default=11, server_default="11")
    school_report_day: Mapped[int] = mapped_column(default=20, server_default="20")
    municipal_report_month: Mapped[int] = mapped_column(default=11, server_default="11")
    municipal_report_day: Mapped[int] = mapped_column(default=30, server_default="30")
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Moscow", server_default="Europe/Moscow")


def settings_for(org: Organization) -> RegionSettings:
    """The settings of ``org``'s region (defaults if the ministry has saved none)."""
    ministry_path = region_path(org.path)
    found = db.session.scalar(sa.select(RegionSettings).where(RegionSettings.org_path == ministry_path))
    return found or default_settings()


def default_settings() -> RegionSettings:
    """Unsaved settings with every default filled in (column defaults apply only on insert)."""
    values = {
        column.key: column.default.arg
        for column in RegionSettings.__table__.columns
        if column.default is not None and not callable(column.default.arg)
    }
    return RegionSettings(**values)
