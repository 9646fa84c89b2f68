"""Matching runs: the mutual preferences after the group meeting, a run's draft proposals
(with the reasons), and the mentees it left unmatched. All owner-only."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, utcnow
from mentorship.pairing.models.programmes import Programme
from mentorship.people.models import Participant
from tenants.scoping import OwnerOnly


class Preference(OwnerOnly, ReprMixin, db.Model):
    """One side names a preferred partner (анкета после групповой встречи), rank 1 = first."""

    __tablename__ = "preferences"
    __repr_fields__ = ("id", "from_id", "to_id", "rank")
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "from_id", "to_id"),
        sa.CheckConstraint("rank BETWEEN 1 AND 5", name="rank"),
        sa.CheckConstraint("from_id <> to_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    from_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    to_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(default=1)


class MatchingRun(OwnerOnly, ReprMixin, db.Model):
    __tablename__ = "matching_runs"
    __repr_fields__ = ("id", "status")
    __table_args__ = (sa.CheckConstraint("status IN ('draft', 'published', 'discarded')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    objective: Mapped[float] = mapped_column(default=0.0)
    mentors_count: Mapped[int] = mapped_column(default=0)
    mentees_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    programme: Mapped[Programme] = relationship()
    proposals: Mapped[list[MatchProposal]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="MatchProposal.id"
    )


class MatchProposal(OwnerOnly, ReprMixin, db.Model):
    """A draft pairing of a mentee with a mentor, or (mentor empty) a mentee left unmatched."""

    __tablename__ = "match_proposals"
    __repr_fields__ = ("id", "mentor_id", "mentee_id")
    __table_args__ = (sa.UniqueConstraint("run_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_runs.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(default=0.0)
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)  # codes with arguments, rendered in the UI
    unmatched_reason: Mapped[str | None] = mapped_column(sa.String(40))
    edited: Mapped[bool] = mapped_column(default=False)  # changed by the curator after the run

    run: Mapped[MatchingRun] = relationship(back_populates="proposals")
    mentee: Mapped[Participant] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[Participant | None] = relationship(foreign_keys=[mentor_id])
