"""The end of a mentorship: feedback and completion reviews (отзыв о результатах). The mentor's
awards and incentives are kept by recognition (mentorship/recognition/models/awards.py)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin
from mentorship.pairing.models.pairs import Mentorship
from mentorship.people.models import Participant
from tenants.scoping import OwnerOnly

AUTHOR_ROLES = ("mentor", "mentee", "curator")



class FeedbackEntry(OwnerOnly, ReprMixin, db.Model):
    """Intermediate feedback (промежуточная обратная связь) on a mentorship."""

    __tablename__ = "feedback_entries"
    __table_args__ = (
        sa.CheckConstraint("author_role IN ('mentor', 'mentee', 'curator')", name="author_role"),
        sa.CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 10)", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    author_role: Mapped[str] = mapped_column(sa.String(20))
    written_on: Mapped[date]
    rating: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text)

    mentorship: Mapped[Mentorship] = relationship()


class CompletionReview(OwnerOnly, ReprMixin, db.Model):
    """Отзыв о результатах наставничества, by the mentor or by a mentee, one each."""

    __tablename__ = "completion_reviews"
    __table_args__ = (
        sa.UniqueConstraint("mentorship_id", "participant_id"),
        sa.CheckConstraint("author_role IN ('mentor', 'mentee')", name="author_role"),
        sa.CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 10)", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="RESTRICT"))
    author_role: Mapped[str] = mapped_column(sa.String(20))
    written_on: Mapped[date]
    rating: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text)

    mentorship: Mapped[Mentorship] = relationship()
    participant: Mapped[Participant] = relationship()

