"""Contests (конкурсы профессионального мастерства наставников): announced by a municipal body
or the ministry, entered by the schools below, judged by a jury, their results published.

Visibility (docs/tenancy.md):

* the contest, its nominations (номинации), criteria and rules document are ``Lineage`` of the
  organiser: the organiser, the levels above it and every school below it see them (a draft is
  hidden from the others by the services, not by the scope);
* a nominee (the school's entry: the mentor's name, position and portfolio text, an optional
  file) is ``SharedUpward`` of the nominating school: the school and the organiser and jury
  above it see it, another school never;
* the jury and its scores are ``SharedUpward`` of the organiser: no school ever sees a score;
  a juror sees only their own scores until judging closes (mentorship/recognition/contests_jury.py);
* a published result is ``Lineage`` of the organiser and ``Publishable``: created on
  publication only for a nominee whose consent to publication is valid, unpublished at once
  when it is withdrawn (mentorship/recognition/receivers.py).

The contest itself is ``Publishable`` too: public from its announcement.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.models import User
from tenants.record_mixins import StoredFile
from tenants.scoping import Lineage, Publishable, SharedUpward

CONTEST_STATUSES = ("draft", "announced", "judging", "results", "published")
AGGREGATIONS = ("sum", "mean")
NOMINEE_STATUSES = ("submitted", "withdrawn")
MAX_CRITERION_SCORE = 100


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Contest(Lineage, Publishable, TimestampMixin, ReprMixin, db.Model):
    """A contest of one organiser (a municipal body or the ministry).

    draft ─announce─▶ announced ─start judging─▶ judging ─close─▶ results ─publish─▶ published
    (results ─reopen─▶ judging while nothing is published)."""

    __tablename__ = "contests"
    __repr_fields__ = ("id", "status")
    __table_args__ = (
        sa.CheckConstraint(_in("status", CONTEST_STATUSES), name="status"),
        sa.CheckConstraint(_in("aggregation", AGGREGATIONS), name="aggregation"),
        sa.CheckConstraint("nominations_open_on <= nominations_close_on AND nominations_close_on <= judging_until "
                           "AND judging_until <= results_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(12), default="draft", index=True)
    aggregation: Mapped[str] = mapped_column(sa.String(4), default="sum")  # across jurors
    nominations_open_on: Mapped[date]
    nominations_close_on: Mapped[date]
    judging_until: Mapped[date]
    results_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    announced_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    judging_started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    judging_closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    nominations: Mapped[list[ContestNomination]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestNomination.position")
    criteria: Mapped[list[ContestCriterion]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestCriterion.position")
    rules: Mapped[ContestRules | None] = relationship(back_populates="contest", cascade="all, delete-orphan",
                                                      uselist=False)

    @property
    def max_total(self) -> int:
        """The most one juror can give one nominee (the sum of the criteria's maxima)."""
        return sum(c.max_score for c in self.criteria)


class ContestNomination(Lineage, ReprMixin, db.Model):
    """A nomination (номинация) of a contest, e.g. «Лучший педагог-наставник»."""

    __tablename__ = "contest_nominations"
    __repr_fields__ = ("id", "title")

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="nominations")


class ContestCriterion(Lineage, ReprMixin, db.Model):
    """A criterion every juror scores every nominee against, from 0 to ``max_score``."""

    __tablename__ = "contest_criteria"
    __repr_fields__ = ("id", "max_score")
    __table_args__ = (sa.CheckConstraint(f"max_score BETWEEN 1 AND {MAX_CRITERION_SCORE}", name="max_score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    max_score: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="criteria")


class ContestRules(Lineage, Publishable, StoredFile, ReprMixin, db.Model):
    """The contest's rules (положение о конкурсе): a document checked by content; public with
    the contest's announcement."""

    __tablename__ = "contest_rules"
    __repr_fields__ = ("id", "filename")

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), unique=True)

    contest: Mapped[Contest] = relationship(back_populates="rules")


class ContestJuror(SharedUpward, ReprMixin, db.Model):
    """A member of the organiser appointed to the jury (any role, experts included)."""

    __tablename__ = "contest_jurors"
    __repr_fields__ = ("id", "user_id")
    __table_args__ = (sa.UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    appointed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    appointed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ContestNominee(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """A school's entry: the mentor it nominates in one nomination, with a portfolio text and
    an optional file. The name and position are copied from the school's record when it is
    submitted (the organiser and jury never read the school's people)."""

    __tablename__ = "contest_nominees"
    __repr_fields__ = ("id", "status")
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "nomination_id", "participant_id"),
        sa.CheckConstraint(_in("status", NOMINEE_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("contest_nominations.id", ondelete="RESTRICT"),
                                               index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="RESTRICT"), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    entry_text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(12), default="submitted")
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    contest: Mapped[Contest] = relationship()
    nomination: Mapped[ContestNomination] = relationship()
    file: Mapped[ContestNomineeFile | None] = relationship(back_populates="nominee", cascade="all, delete-orphan",
                                                           uselist=False)


class ContestNomineeFile(SharedUpward, StoredFile, ReprMixin, db.Model):
    """The file attached to a school's entry (a portfolio, a methodological development)."""

    __tablename__ = "contest_nominee_files"
    __repr_fields__ = ("id", "filename")

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_id: Mapped[int] = mapped_column(sa.ForeignKey("contest_nominees.id", ondelete="CASCADE"), unique=True)

    nominee: Mapped[ContestNominee] = relationship(back_populates="file")


class ContestScore(SharedUpward, ReprMixin, db.Model):
    """One juror's score of one nominee against one criterion (owned by the organiser)."""

    __tablename__ = "contest_scores"
    __repr_fields__ = ("id", "score")
    __table_args__ = (
        sa.UniqueConstraint("juror_id", "nominee_id", "criterion_id"),
        sa.CheckConstraint(f"score BETWEEN 0 AND {MAX_CRITERION_SCORE}", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("contest_jurors.id", ondelete="CASCADE"), index=True)
    nominee_id: Mapped[int] = mapped_column(sa.ForeignKey("contest_nominees.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("contest_criteria.id", ondelete="CASCADE"))
    score: Mapped[int]
    scored_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ContestResultEntry(Lineage, Publishable, ReprMixin, db.Model):
    """A published line of a contest's results: what the public pages show (no pupil ever —
    nominees are mentors, and only those who consented to publication)."""

    __tablename__ = "contest_result_entries"
    __repr_fields__ = ("id", "place", "is_public")
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "nominee_id"),
        sa.CheckConstraint("place >= 1", name="place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    nominee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contest_nominees.id", ondelete="SET NULL"))
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="RESTRICT"), index=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(300))
    school_name: Mapped[str] = mapped_column(sa.String(300))
    nomination: Mapped[str] = mapped_column(sa.String(300))
    nomination_position: Mapped[int] = mapped_column(default=0)
    place: Mapped[int]
    score: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    contest: Mapped[Contest] = relationship()
