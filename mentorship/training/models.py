"""Training of mentors and curators: courses and events, their sessions and programme, the
enrolments with attendance, and completions with their certificates.

A course belongs to its organiser (a school's «Школа наставников», a municipal body's
seminar, the ministry's or the regional institute's course) and is seen along the organiser's
line (``Lineage``): the organisations above it and every one below it, never a sibling. An
enrolment, its attendance and a completion belong to the school (or body) of the person
enrolled and are seen upward (``SharedUpward``): the organiser above sees whom the schools
sent, a sibling school sees nothing. A completion may also stand alone: a school records a
course taken outside the system with the uploaded certificate.
"""
from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.record_mixins import StoredFile
from tenants.scoping import Lineage, SharedUpward

COURSE_KINDS = ("school_of_mentors", "seminar", "webinar", "course", "consultation")
FORMATS = ("in_person", "online")
AUDIENCES = ("mentors", "curators", "all")
ENROLMENT_STATUSES = ("enrolled", "completed", "cancelled")
ENROLLEE_ROLES = ("mentor", "staff")
MAX_HOURS = 1000
MAX_CAPACITY = 10000


class Course(Lineage, TimestampMixin, ReprMixin, db.Model):
    """A course or event: what, by whom, how (in person or online), how long, for whom, and
    how many places. ``seats_taken`` counts the active enrolments of every school; it changes
    only by one conditional UPDATE (``enrolment.take_seat``), so the last place goes once."""

    __tablename__ = "training_courses"
    __repr_fields__ = ("id", "title")
    __table_args__ = (
        sa.CheckConstraint(f"kind IN {COURSE_KINDS}", name="kind"),
        sa.CheckConstraint(f"format IN {FORMATS}", name="format"),
        sa.CheckConstraint(f"audience IN {AUDIENCES}", name="audience"),
        sa.CheckConstraint(f"hours BETWEEN 1 AND {MAX_HOURS}", name="hours"),
        sa.CheckConstraint(f"capacity BETWEEN 1 AND {MAX_CAPACITY}", name="capacity"),
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),
        sa.CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(20))
    description: Mapped[str | None] = mapped_column(sa.Text)
    format: Mapped[str] = mapped_column(sa.String(10), default="in_person")
    place: Mapped[str | None] = mapped_column(sa.String(300))  # in person: the address
    link: Mapped[str | None] = mapped_column(sa.String(500))  # online: the meeting's address
    hours: Mapped[int]
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    audience: Mapped[str] = mapped_column(sa.String(10), default="mentors")
    form_codes: Mapped[list] = mapped_column(sa.JSON, default=list)  # empty: every form
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    enrolment_open: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", order_by="CourseSession.held_on, CourseSession.starts_at, CourseSession.id",
        cascade="all, delete-orphan",
    )
    programme: Mapped[CourseProgramme | None] = relationship(back_populates="course", uselist=False,
                                                             cascade="all, delete-orphan")

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class CourseProgramme(Lineage, StoredFile, ReprMixin, db.Model):
    """The course's programme (программа обучения), an uploaded document; a new upload
    replaces it."""

    __tablename__ = "training_programmes"
    __table_args__ = (sa.UniqueConstraint("course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"))

    course: Mapped[Course] = relationship(back_populates="programme")


class CourseSession(Lineage, ReprMixin, db.Model):
    """One session of the schedule (занятие): a day, an optional start time and length, a
    topic, where (or the link) if it differs from the course's."""

    __tablename__ = "training_sessions"
    __repr_fields__ = ("id", "course_id", "held_on")
    __table_args__ = (sa.CheckConstraint("duration_hours IS NULL OR duration_hours BETWEEN 1 AND 24",
                                         name="duration"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    starts_at: Mapped[time | None]
    duration_hours: Mapped[int | None]
    topic: Mapped[str] = mapped_column(sa.String(300))
    place: Mapped[str | None] = mapped_column(sa.String(500))

    course: Mapped[Course] = relationship(back_populates="sessions")


class Enrolment(SharedUpward, ReprMixin, db.Model):
    """A person sent to a course: a mentor of the school's bank (``participant_id``) or a
    member of staff, a curator (``user_id``). Owned by the person's organisation; the name is
    kept here for the organiser's roster — the purpose it was given for."""

    __tablename__ = "training_enrolments"
    __repr_fields__ = ("id", "course_id", "status")
    __table_args__ = (
        sa.CheckConstraint(f"status IN {ENROLMENT_STATUSES}", name="status"),
        sa.CheckConstraint(f"role IN {ENROLLEE_ROLES}", name="role"),
        sa.CheckConstraint("(participant_id IS NULL) <> (user_id IS NULL)", name="one_person"),
        sa.UniqueConstraint("course_id", "participant_id"),
        sa.UniqueConstraint("course_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"),
                                                       index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10))
    display_name: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(10), default="enrolled")
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    course: Mapped[Course] = relationship()
    completion: Mapped[TrainingCompletion | None] = relationship(back_populates="enrolment", uselist=False)


class Attendance(SharedUpward, ReprMixin, db.Model):
    """Whether an enrolled person attended a session (owned with the enrolment)."""

    __tablename__ = "training_attendance"
    __repr_fields__ = ("id", "session_id", "enrolment_id", "present")
    __table_args__ = (sa.UniqueConstraint("session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("training_enrolments.id", ondelete="CASCADE"),
                                              index=True)
    present: Mapped[bool] = mapped_column(default=False)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class TrainingCompletion(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """A completed training (обучение пройдено): the course, the date, the hours and the
    certificate (удостоверение, сертификат). From a course of the system (``enrolment_id``,
    ``issuer_id`` — its organiser, whose certificate numbers are unique) or recorded by the
    school for a course taken elsewhere (no enrolment, the organiser's name as text, the
    uploaded certificate). Owned by the person's organisation."""

    __tablename__ = "training_completions"
    __repr_fields__ = ("id", "participant_id", "completed_on")
    __table_args__ = (
        sa.CheckConstraint(f"hours BETWEEN 1 AND {MAX_HOURS}", name="hours"),
        sa.CheckConstraint("(participant_id IS NULL) <> (user_id IS NULL)", name="one_person"),
        sa.UniqueConstraint("enrolment_id"),
        sa.UniqueConstraint("issuer_id", "certificate_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_enrolments.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="SET NULL"),
                                                  index=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"),
                                                       index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    course_title: Mapped[str] = mapped_column(sa.String(300))
    organiser_name: Mapped[str] = mapped_column(sa.String(300))
    completed_on: Mapped[date]
    hours: Mapped[int]
    certificate_number: Mapped[str] = mapped_column(sa.String(40))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    enrolment: Mapped[Enrolment | None] = relationship(back_populates="completion")
    certificate: Mapped[CertificateFile | None] = relationship(back_populates="completion", uselist=False,
                                                               cascade="all, delete-orphan")


class CertificateFile(SharedUpward, StoredFile, ReprMixin, db.Model):
    """An uploaded certificate (a course taken elsewhere, or the organiser's own scan); without
    one, the certificate is generated from the completion (``certificate.to_docx``)."""

    __tablename__ = "training_certificates"
    __table_args__ = (sa.UniqueConstraint("completion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(sa.ForeignKey("training_completions.id", ondelete="CASCADE"))

    completion: Mapped[TrainingCompletion] = relationship(back_populates="certificate")
