"""What the public pages («Наставничество» pages of a region, /p/…) may show of the library.

Plain queries, meant to run under ``tenants.context.public_scope(region_path)``: there, only
rows with ``is_public`` true are readable — an item is public while it is published *and*
offered for the public pages (``items.sync_public`` keeps the flag on the item and on every
version). Nothing here writes, except ``record_public_download`` (a labelled system scope,
the counters only).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload, undefer

from core.extensions import db
from mentorship.library.items import record_download
from mentorship.library.models import LibraryItem, LibraryVersion
from tenants.context import unscoped
from tenants.scoping import subtree_bounds


def public_items(org_path: str, *, subtree: bool = False, category: str | None = None,
                 limit: int | None = None) -> list[LibraryItem]:
    """The public items of the organisation at ``org_path`` (with ``subtree``: of it and every
    organisation below it), newest first, with their versions (file bytes not loaded)."""
    stmt = sa.select(LibraryItem).where(LibraryItem.is_public.is_(True), LibraryItem.status == "published")
    if subtree:
        low, high = subtree_bounds(org_path)
        stmt = stmt.where(LibraryItem.org_path >= low, LibraryItem.org_path < high)
    else:
        stmt = stmt.where(LibraryItem.org_path == org_path)
    if category:
        stmt = stmt.where(LibraryItem.category == category)
    stmt = stmt.order_by(LibraryItem.published_at.desc(), LibraryItem.id.desc()).options(
        selectinload(LibraryItem.versions))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def public_version(item_id: int, version_id: int | None = None) -> LibraryVersion | None:
    """A public item's file to download (the latest version when ``version_id`` is None), with
    its bytes; None if the item or the version is not public."""
    stmt = (sa.select(LibraryVersion).where(LibraryVersion.item_id == item_id, LibraryVersion.is_public.is_(True))
            .options(undefer(LibraryVersion.data)))
    if version_id is None:
        stmt = stmt.order_by(LibraryVersion.number.desc()).limit(1)
    else:
        stmt = stmt.where(LibraryVersion.id == version_id)
    return db.session.scalar(stmt)


def record_public_download(version_id: int) -> None:
    """Count an anonymous download of a public version (the public scope writes nothing, so
    the two counters are updated under a labelled system scope; the caller commits)."""
    with unscoped("library.public_download"):
        item_id = db.session.scalar(sa.select(LibraryVersion.item_id).where(
            LibraryVersion.id == version_id, LibraryVersion.is_public.is_(True)))
        if item_id is not None:
            record_download(version_id, item_id)
