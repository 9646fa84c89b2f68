"""People of a school (участники) and its partner enterprises; consents; the two banks.

Everything here except ``Enterprise`` is personal data, often minors': owner-only, so it is
visible only while acting as the school itself (DESIGN §4).
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.scoping import OwnerOnly, SharedUpward

REQUEST_KINDS = ("academic", "adaptation", "career", "methodology", "special_needs", "projects",
                 "leadership", "other")
REQUEST_SOURCES = ("self", "class_teacher", "psychologist", "social_pedagogue", "parents", "certification")
INTERVIEW_RESULTS = ("pending", "passed", "failed")
TRAINING_STATUSES = ("none", "in_progress", "completed")
FOLLOW_UPS = ("none", "psych_support", "continued_search")


class Enterprise(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """A partner enterprise (предприятие-партнёр) of a school: not personal data."""

    __tablename__ = "enterprises"
    __repr_fields__ = ("id", "name")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    inn: Mapped[str | None] = mapped_column(sa.String(12))
    contact: Mapped[str | None] = mapped_column(sa.String(300))
    # The partner agreed to be named publicly (public pages, letters of thanks published).
    publication_agreed: Mapped[bool] = mapped_column(default=False)


class Participant(OwnerOnly, TimestampMixin, ReprMixin, db.Model):
    """A pupil, student, teacher or employer's representative known to a school."""

    __tablename__ = "participants"
    __repr_fields__ = ("id", "category")
    __table_args__ = (
        sa.CheckConstraint("category IN ('pupil', 'student', 'teacher', 'employer')", name="category"),
        sa.Index("ix_participants_org_name", "org_id", "full_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(300))
    category: Mapped[str] = mapped_column(sa.String(20))
    birth_date: Mapped[date | None]
    # Kept after anonymisation: the age band past indicators were counted in, nothing more.
    birth_year: Mapped[int | None]
    class_or_position: Mapped[str | None] = mapped_column(sa.String(200))
    teaching_since: Mapped[date | None]  # start of teaching experience (young specialists: 0–3 years)
    special_needs: Mapped[bool] = mapped_column(default=False)  # ОВЗ
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    representative_name: Mapped[str | None] = mapped_column(sa.String(300))
    representative_email: Mapped[str | None] = mapped_column(sa.String(254))
    representative_phone: Mapped[str | None] = mapped_column(sa.String(40))
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    in_mentor_bank: Mapped[bool] = mapped_column(default=False)
    in_mentee_bank: Mapped[bool] = mapped_column(default=False)
    anonymised_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    enterprise: Mapped[Enterprise | None] = relationship()
    consents: Mapped[list[Consent]] = relationship(
        back_populates="participant", order_by="Consent.given_on.desc(), Consent.id.desc()"
    )
    mentor_profile: Mapped[MentorProfile | None] = relationship(back_populates="participant", uselist=False)
    mentee_profile: Mapped[MenteeProfile | None] = relationship(back_populates="participant", uselist=False)
    requests: Mapped[list[MenteeRequest]] = relationship(back_populates="participant", order_by="MenteeRequest.id")


class Consent(OwnerOnly, ReprMixin, db.Model):
    """A consent to personal-data processing (152-FZ): who gave it and how, its purpose and
    policy version, an optional scan; withdrawal stops processing."""

    __tablename__ = "consents"
    __repr_fields__ = ("id", "participant_id", "withdrawn_on")
    __table_args__ = (sa.CheckConstraint("given_by IN ('participant', 'representative')", name="given_by"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    given_by: Mapped[str] = mapped_column(sa.String(20))
    representative_name: Mapped[str | None] = mapped_column(sa.String(300))
    # How the representative's authority was checked (birth certificate, guardianship act …).
    authority_document: Mapped[str | None] = mapped_column(sa.String(300))
    purpose: Mapped[str] = mapped_column(sa.Text)
    policy_version: Mapped[str] = mapped_column(sa.String(40))
    given_on: Mapped[date]
    scan_filename: Mapped[str | None] = mapped_column(sa.String(255))
    scan_content_type: Mapped[str | None] = mapped_column(sa.String(100))
    scan_size: Mapped[int | None]
    scan_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    withdrawn_on: Mapped[date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    participant: Mapped[Participant] = relationship(back_populates="consents")


class PublicationConsent(OwnerOnly, ReprMixin, db.Model):
    """A mentor's consent to the publication of their name, photo and achievements (board of
    honour, portfolio, contest results) — a purpose of its own, apart from the consent to
    processing; withdrawing it unpublishes everything about the person at once."""

    __tablename__ = "publication_consents"
    __repr_fields__ = ("id", "participant_id", "withdrawn_on")

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    given_on: Mapped[date]
    scope_note: Mapped[str] = mapped_column(sa.Text)  # what may be published, in the consent's words
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    withdrawn_on: Mapped[date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    participant: Mapped[Participant] = relationship()


class DestructionRecord(OwnerOnly, ReprMixin, db.Model):
    """Акт об уничтожении ПДн: what was erased of whom (by id only), when, by whom, why."""

    __tablename__ = "destruction_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    destroyed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    fields: Mapped[str] = mapped_column(sa.Text)  # names of the erased fields
    reason: Mapped[str] = mapped_column(sa.Text)


class MentorProfile(OwnerOnly, TimestampMixin, ReprMixin, db.Model):
    """The mentor bank's questionnaire (анкета наставника), interview and training."""

    __tablename__ = "mentor_profiles"
    __table_args__ = (
        sa.UniqueConstraint("participant_id"),
        sa.CheckConstraint("capacity >= 1 AND capacity <= 30", name="capacity"),
        sa.CheckConstraint("interview_result IN ('pending', 'passed', 'failed')", name="interview"),
        sa.CheckConstraint("training_status IN ('none', 'in_progress', 'completed')", name="training"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    competencies: Mapped[list] = mapped_column(sa.JSON, default=list)  # request kinds the mentor can meet
    subjects: Mapped[str | None] = mapped_column(sa.String(500))
    interests: Mapped[str | None] = mapped_column(sa.String(500))
    preferred_forms: Mapped[list] = mapped_column(sa.JSON, default=list)  # form codes; empty: any
    capacity: Mapped[int] = mapped_column(default=1)
    hours_per_month: Mapped[int | None]
    interview_result: Mapped[str] = mapped_column(sa.String(20), default="pending")
    training_status: Mapped[str] = mapped_column(sa.String(20), default="none")  # Школа наставников
    approved: Mapped[bool] = mapped_column(default=False)  # approved for the current programme
    publish_consent: Mapped[bool] = mapped_column(default=False)  # may appear in the municipal registry

    participant: Mapped[Participant] = relationship(back_populates="mentor_profile")


class MenteeProfile(OwnerOnly, TimestampMixin, ReprMixin, db.Model):
    """A mentee's place in the bank, and the follow-up of one left without a partner."""

    __tablename__ = "mentee_profiles"
    __table_args__ = (
        sa.UniqueConstraint("participant_id"),
        sa.CheckConstraint("follow_up IN ('none', 'psych_support', 'continued_search')", name="follow_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    interests: Mapped[str | None] = mapped_column(sa.String(500))
    follow_up: Mapped[str] = mapped_column(sa.String(20), default="none")
    follow_up_note: Mapped[str | None] = mapped_column(sa.Text)

    participant: Mapped[Participant] = relationship(back_populates="mentee_profile")


class MenteeRequest(OwnerOnly, ReprMixin, db.Model):
    """What a mentee needs (запрос) and who raised it."""

    __tablename__ = "mentee_requests"
    __repr_fields__ = ("id", "kind")

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    source: Mapped[str] = mapped_column(sa.String(30))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    closed: Mapped[bool] = mapped_column(default=False)

    participant: Mapped[Participant] = relationship(back_populates="requests")
