"""The board of honour (доска почёта): a school's cards of its best mentors for its public
page — the name as shown, the position, a photo (re-encoded: no EXIF), achievements in short.

``is_public`` is true only while the school has published the card AND the mentor's
publication consent is valid (recognition/board.py keeps it so; withdrawing the consent
unpublishes at once). A card holds nothing of a pupil.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from mentorship.people.models import Participant
from tenants.scoping import OwnerOnly, Publishable


class HonourCard(OwnerOnly, Publishable, TimestampMixin, ReprMixin, db.Model):
    """A mentor's card on the school's board of honour: one per mentor."""

    __tablename__ = "honour_cards"
    __repr_fields__ = ("id", "participant_id", "is_public")
    __table_args__ = (sa.UniqueConstraint("participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[str | None] = mapped_column(sa.String(200))  # «учитель математики»
    achievements: Mapped[str | None] = mapped_column(sa.Text)
    photo_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    photo_type: Mapped[str | None] = mapped_column(sa.String(20))  # image/jpeg | image/png
    photo_size: Mapped[int | None]
    sort_order: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()
