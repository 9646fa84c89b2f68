"""Test-only tenant-owned models (tables prefixed ``test_``; the migration check ignores them).

They exercise both kinds of scoping before the domain issues bring real ones; the HTTP
isolation suite serves them through a test blueprint.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from tenants.scoping import OwnerOnly, Publishable, SharedUpward


class SharedDoc(SharedUpward, db.Model):
    """Like a roadmap: visible to the owner and its ancestors."""

    __tablename__ = "test_shared_docs"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    notes: Mapped[list[PrivateNote]] = relationship(back_populates="doc", order_by="PrivateNote.id")


class PrivateNote(OwnerOnly, db.Model):
    """Like a participant record: personal data, visible to the owning school alone."""

    __tablename__ = "test_private_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.String(100))
    doc_id: Mapped[int | None] = mapped_column(sa.ForeignKey("test_shared_docs.id"))
    doc: Mapped[SharedDoc | None] = relationship(back_populates="notes")


class PublicNotice(Publishable, OwnerOnly, db.Model):
    """Like a board-of-honour card: the owner's own, public only while ``is_public``."""

    __tablename__ = "test_public_notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.String(100))
    note_id: Mapped[int | None] = mapped_column(sa.ForeignKey("test_private_notes.id"))
    note: Mapped[PrivateNote | None] = relationship()
