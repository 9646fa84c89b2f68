"""The region's own data: its catalogue of mentorship forms and its settings (calendar,
approval), owned by the ministry and read across the region (``RegionWide``); and the
announcements sent down the organisation tree (``Lineage``) with their read receipts, owned by
each recipient (``SharedUpward``)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.models import User
from tenants.record_mixins import StoredFile
from tenants.scoping import Lineage, RegionWide, SharedUpward


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
            " AND reference_day_1 BETWEEN 1 AND 31 AND reference_day_2 BETWEEN 1 AND 31",
            name="calendar",
        ),
        sa.CheckConstraint(
            " AND ".join(
                f"(({kind}_report_month_{n} IS NULL) = ({kind}_report_day_{n} IS NULL))"
                f" AND ({kind}_report_month_{n} IS NULL OR {kind}_report_month_{n} BETWEEN 1 AND 12)"
                f" AND ({kind}_report_day_{n} IS NULL OR {kind}_report_day_{n} BETWEEN 1 AND 31)"
                for n in (1, 2) for kind in ("school", "municipal")
            ),
            name="report_deadlines",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Municipal roadmaps are approved by the ministry (otherwise the municipal body approves its own).
    municipal_roadmaps_need_approval: Mapped[bool] = mapped_column(default=False)
    # The monitoring calendar (mentorship/region/calendar.py validates the dates).
    reference_month_1: Mapped[int] = mapped_column(default=6, server_default="6")
    reference_day_1: Mapped[int] = mapped_column(default=20, server_default="20")
    reference_month_2: Mapped[int] = mapped_column(default=12, server_default="12")
    reference_day_2: Mapped[int] = mapped_column(default=20, server_default="20")
    # Each reference date's own report deadlines (day and month; the first such day after the
    # reference date). Both empty: the default rule of mentorship/region/calendar.py — the
    # schools a month after the reference date, the municipal bodies on 30 November where that
    # falls inside the round, else a month after the schools.
    school_report_month_1: Mapped[int | None]
    school_report_day_1: Mapped[int | None]
    municipal_report_month_1: Mapped[int | None]
    municipal_report_day_1: Mapped[int | None]
    school_report_month_2: Mapped[int | None]
    school_report_day_2: Mapped[int | None]
    municipal_report_month_2: Mapped[int | None]
    municipal_report_day_2: Mapped[int | None]
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Moscow", server_default="Europe/Moscow")


# -- announcements (mentorship/region/announcements.py) -------------------------------------------

AUDIENCE_MODES = ("all", "kinds", "chosen")


class Announcement(Lineage, TimestampMixin, ReprMixin, db.Model):
    """An announcement the ministry or a municipal body sent to organisations below it, owned
    by the sender: its line sees it (the organisations above it, and those below — each of
    which reads it only as a recipient, through its receipt), its siblings never."""

    __tablename__ = "announcements"
    __repr_fields__ = ("id", "title")
    __table_args__ = (
        sa.CheckConstraint("audience IN ('all', 'kinds', 'chosen')", name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    markdown: Mapped[bool] = mapped_column(default=False)  # the text is safe Markdown (core/richtext.py)
    audience: Mapped[str] = mapped_column(sa.String(20))
    audience_kinds: Mapped[str | None] = mapped_column(sa.String(100))  # "municipality,school,college" (kinds)
    with_schools: Mapped[bool] = mapped_column(default=False)  # chosen municipal bodies and their schools
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    recipients_count: Mapped[int] = mapped_column(default=0)

    sent_by: Mapped[User | None] = relationship()
    attachment: Mapped[AnnouncementAttachment | None] = relationship(
        back_populates="announcement", cascade="all, delete-orphan", uselist=False)


class AnnouncementAttachment(StoredFile, Lineage, db.Model):
    """The announcement's one optional file, checked by content (core/uploads.py)."""

    __tablename__ = "announcement_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(sa.ForeignKey("announcements.id", ondelete="CASCADE"), unique=True)

    announcement: Mapped[Announcement] = relationship(back_populates="attachment")


class AnnouncementReceipt(SharedUpward, db.Model):
    """One recipient organisation of an announcement, owned by it (so the sender above counts
    the receipts): when a member first opened it, and when its members' e-mails were queued."""

    __tablename__ = "announcement_receipts"
    __table_args__ = (sa.UniqueConstraint("announcement_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(sa.ForeignKey("announcements.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    read_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    mailed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
