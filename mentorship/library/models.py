"""The methodological library: items (a document or a best practice) and their file versions.

Both are ``RegionWide`` at the tenant net — any organisation of the region can load a row, none
outside it — and ``Publishable`` (the public pages read the rows whose ``is_public`` is true).
Who actually sees an item is decided by ``mentorship.library.access.visible_clause``: the owner
always, the organisations above it while it is under review, and once published, everyone below
(and above) its publisher — or the whole region for a school's approved best practice. A school's
draft is never visible to a sibling school: every read of an item goes through that clause.

``search_vector`` is the item's search document, kept by the service on every change: on
PostgreSQL a ``tsvector`` with the ``russian`` configuration (stemming) over the title, the
description, the forms of mentorship and the keywords, «ё» folded to «е», with a GIN index; on
SQLite, the same text folded to lower case (the plain fallback search).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.record_mixins import StoredFile
from tenants.scoping import Publishable, RegionWide

SearchDocument = TSVECTOR().with_variant(sa.Text(), "sqlite")


class LibraryItem(Publishable, RegionWide, TimestampMixin, ReprMixin, db.Model):
    """A document or a best practice, with its versions."""

    __tablename__ = "library_items"
    __repr_fields__ = ("id", "category", "status")
    __table_args__ = (
        sa.CheckConstraint(
            "category IN ('regulation', 'template', 'recommendation', 'presentation', 'practice')", name="category"
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'returned', 'published', 'archived')", name="status"
        ),
        sa.CheckConstraint("audience IN ('below', 'region')", name="audience"),
        sa.CheckConstraint("download_count >= 0", name="download_count"),
        sa.Index("ix_library_items_status_published", "status", "published_at"),
        # GIN on PostgreSQL; on SQLite a plain index of the folded text, which the fallback
        # search (a "contains" test) does not use.
        sa.Index("ix_library_items_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    form_codes: Mapped[str] = mapped_column(sa.String(500), default="")  # the region's forms, comma-separated
    keywords: Mapped[str | None] = mapped_column(sa.String(300))
    # The publisher as everyone may read it (a school elsewhere in the region cannot load the
    # organisation's row): its name when the item was made.
    source_name: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    audience: Mapped[str] = mapped_column(sa.String(10), default="below")
    public_requested: Mapped[bool] = mapped_column(default=False)  # also on the public pages
    reviewer_org_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    download_count: Mapped[int] = mapped_column(default=0)
    search_vector: Mapped[str | None] = mapped_column(SearchDocument, deferred=True)

    versions: Mapped[list[LibraryVersion]] = relationship(
        back_populates="item", order_by="LibraryVersion.number", cascade="all, delete-orphan"
    )


class LibraryVersion(Publishable, RegionWide, StoredFile, ReprMixin, db.Model):
    """One uploaded file of an item. A new upload adds a version; old ones stay downloadable."""

    __tablename__ = "library_versions"
    __repr_fields__ = ("id", "item_id", "number")
    __table_args__ = (
        sa.UniqueConstraint("item_id", "number"),
        sa.CheckConstraint("download_count >= 0", name="download_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("library_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.String(300))
    download_count: Mapped[int] = mapped_column(default=0)

    item: Mapped[LibraryItem] = relationship(back_populates="versions")
