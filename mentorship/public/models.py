"""What an organisation publishes on its public «Наставничество» page.

Every model is owned by the organisation that publishes it and is ``OwnerOnly`` for signed-in
users (another school's drafts do not exist for anybody else), and ``Publishable``: an anonymous
visitor's ``PublicScope`` reads a row only while its ``is_public`` is true. The services keep
``is_public`` true only while the row may be shown: published by the organisation's admin and,
for a document naming people, while every person in it has a valid consent to publication.

Nothing here holds a pupil's data: the programme in brief is counts, snapshotted from the pairs;
a published document is a snapshot file chosen by the admin (an upload, the approved roadmap, a
body's analytical report, an award order whose people all consented); pair orders, which name
pupils, are never offered.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.record_mixins import StoredFile
from tenants.scoping import OwnerOnly, Publishable

DOCUMENT_KINDS = ("upload", "roadmap", "analytical", "award_order")
DOCUMENT_CATEGORIES = ("regulation", "roadmap", "order", "report", "other")


class PublicPage(OwnerOnly, Publishable, TimestampMixin, ReprMixin, db.Model):
    """An organisation's public page: its texts, contacts and the programme's counts.

    ``version`` goes up with every change of anything the page shows from this area (its news,
    documents and practices included): the page's ETag is built on it."""

    __tablename__ = "public_pages"
    __repr_fields__ = ("id", "is_public", "version")
    __table_args__ = (
        sa.UniqueConstraint("org_id"),
        sa.CheckConstraint("version >= 1", name="version"),
        sa.CheckConstraint("pairs_count >= 0 AND mentors_count >= 0 AND mentees_count >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intro: Mapped[str | None] = mapped_column(sa.Text)  # Markdown
    programme_text: Mapped[str | None] = mapped_column(sa.Text)  # Markdown: the programme in brief
    address: Mapped[str | None] = mapped_column(sa.String(300))
    phone: Mapped[str | None] = mapped_column(sa.String(60))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    contacts_note: Mapped[str | None] = mapped_column(sa.Text)  # e.g. the coordinator's office hours
    # The programme in figures, snapshotted on publication and every night (counts only).
    pairs_count: Mapped[int] = mapped_column(default=0)
    mentors_count: Mapped[int] = mapped_column(default=0)
    mentees_count: Mapped[int] = mapped_column(default=0)
    forms: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{"code", "name", "pairs"}]
    counts_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class NewsItem(OwnerOnly, Publishable, TimestampMixin, ReprMixin, db.Model):
    """A news item: title, text in safe Markdown, date, and a picture re-encoded on upload."""

    __tablename__ = "public_news"
    __repr_fields__ = ("id", "is_public")
    __table_args__ = (sa.Index("ix_public_news_org_date", "org_id", "published_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)  # Markdown
    published_on: Mapped[date]
    picture: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    picture_type: Mapped[str | None] = mapped_column(sa.String(40))
    picture_alt: Mapped[str | None] = mapped_column(sa.String(300))
    picture_width: Mapped[int | None]
    picture_height: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def has_picture(self) -> bool:
        return self.picture_type is not None


class PublicDocument(OwnerOnly, Publishable, StoredFile, TimestampMixin, ReprMixin, db.Model):
    """A document chosen for publication, kept as a snapshot file: what was published stays
    what it was, whatever happens to its source afterwards."""

    __tablename__ = "public_documents"
    __repr_fields__ = ("id", "kind", "is_public")
    __table_args__ = (
        sa.CheckConstraint("kind IN ('upload', 'roadmap', 'analytical', 'award_order')", name="kind"),
        sa.CheckConstraint("category IN ('regulation', 'roadmap', 'order', 'report', 'other')", name="category"),
        sa.CheckConstraint("size >= 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(20))
    category: Mapped[str] = mapped_column(sa.String(20), default="other")
    source_id: Mapped[int | None]  # the roadmap, analytical report or award order it was made from
    position: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class PublicDocumentPerson(OwnerOnly, ReprMixin, db.Model):
    """A person named in a published document (an award order): when their consent to
    publication is withdrawn, the document is unpublished at once. Never read publicly."""

    __tablename__ = "public_document_people"
    __repr_fields__ = ("id", "document_id", "participant_id")
    __table_args__ = (sa.UniqueConstraint("document_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("public_documents.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)


class BestPractice(OwnerOnly, Publishable, TimestampMixin, ReprMixin, db.Model):
    """A best practice of the organisation's mentorship, told in its own words."""

    __tablename__ = "public_practices"
    __repr_fields__ = ("id", "is_public")

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str | None] = mapped_column(sa.String(500))
    text: Mapped[str] = mapped_column(sa.Text)  # Markdown
    position: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
