"""A mentor's portfolio (портфолио наставника), kept by the school: the entries the school adds
by hand — an achievement, a publication, a link, a file. The rest of the portfolio (awards,
contest results, pairs and reviews as counts, trainings) is read from where it is kept.

Each entry is published on its own (``is_public``), and only while the mentor's publication
consent is valid: withdrawing it unpublishes every entry at once (recognition/receivers.py).
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from mentorship.people.models import Participant
from tenants.record_mixins import StoredFile
from tenants.scoping import OwnerOnly, Publishable

PORTFOLIO_KINDS = ("achievement", "publication", "link", "file")


class PortfolioItem(OwnerOnly, Publishable, TimestampMixin, ReprMixin, db.Model):
    """One entry of a mentor's portfolio."""

    __tablename__ = "portfolio_items"
    __repr_fields__ = ("id", "kind", "participant_id")
    __table_args__ = (
        sa.CheckConstraint("kind IN ('achievement', 'publication', 'link', 'file')", name="kind"),
        sa.CheckConstraint("kind <> 'link' OR url IS NOT NULL", name="link_url"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.String(500))
    happened_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()
    file: Mapped[PortfolioFile | None] = relationship(back_populates="item", uselist=False,
                                                      cascade="all, delete-orphan")


class PortfolioFile(OwnerOnly, Publishable, StoredFile, ReprMixin, db.Model):
    """The file of a portfolio entry (checked by content); public exactly when its entry is."""

    __tablename__ = "portfolio_files"
    __repr_fields__ = ("id", "item_id", "filename")
    __table_args__ = (sa.UniqueConstraint("item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("portfolio_items.id", ondelete="CASCADE"))

    item: Mapped[PortfolioItem] = relationship(back_populates="file")
