"""Who sees which library item, and who may do what with it.

Read (``visible_clause``), for an organisation O:
* its own items, whatever their status;
* published items of the organisations above O and below O (a body publishes to everyone below
  it), and published items whose audience is the whole region (a school's best practice once its
  municipal body approved it);
* items under review, returned or withdrawn of the organisations below O (the reviewer above
  follows them).
A school's draft is therefore never visible to a sibling school, nor to anyone above it.

Write: the owner's staff (not the analyst, not an expert) edit the owner's items; the municipal
body above a school reviews the school's best practices.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import undefer

from core.errors import NotFound
from core.extensions import db
from mentorship.library.models import LibraryItem, LibraryVersion
from tenants.models import Membership, Organization
from tenants.roles import OrgKind, Role
from tenants.scoping import ancestor_paths, subtree_bounds

EDITOR_ROLES = frozenset({Role.MINISTRY_ADMIN, Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST,
                          Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR})
REVIEWER_ROLES = frozenset({Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST})


class ItemNotFound(NotFound):
    MESSAGES = {"not_found": _l("There is no such material in the library.")}


def visible_clause(org: Organization):
    low, high = subtree_bounds(org.path)
    above = [path for path in ancestor_paths(org.path) if path != org.path]
    below = sa.and_(LibraryItem.org_path >= low, LibraryItem.org_path < high)
    return sa.or_(
        LibraryItem.org_id == org.id,
        sa.and_(LibraryItem.status == "published",
                sa.or_(LibraryItem.audience == "region", LibraryItem.org_path.in_(above or [org.path]), below)),
        sa.and_(LibraryItem.status.in_(("submitted", "returned", "archived")), below),
    )


def visible_item(item_id: int, org: Organization) -> LibraryItem:
    """The item if ``org`` may see it; ``ItemNotFound`` (a 404) otherwise."""
    item = db.session.scalar(sa.select(LibraryItem).where(LibraryItem.id == item_id, visible_clause(org)))
    if item is None:
        raise ItemNotFound("not_found")
    return item


def visible_version(item: LibraryItem, version_id: int | None) -> LibraryVersion:
    """A version of a visible item (the latest when ``version_id`` is None), its bytes loaded."""
    stmt = (sa.select(LibraryVersion).where(LibraryVersion.item_id == item.id)
            .options(undefer(LibraryVersion.data)))
    if version_id is None:
        stmt = stmt.order_by(LibraryVersion.number.desc()).limit(1)
    else:
        stmt = stmt.where(LibraryVersion.id == version_id)
    version = db.session.scalar(stmt)
    if version is None:
        raise ItemNotFound("not_found")
    return version


def is_school(org: Organization) -> bool:
    return org.kind == OrgKind.SCHOOL.value


def can_edit(acting: Membership, item: LibraryItem) -> bool:
    """The owner's staff; a school's practice only while it is a draft or returned."""
    if acting.org_id != item.org_id or acting.role_enum not in EDITOR_ROLES:
        return False
    if is_school(acting.org):
        return item.status in ("draft", "returned")
    return True


def can_create(acting: Membership) -> bool:
    return acting.role_enum in EDITOR_ROLES


def can_review(acting: Membership, item: LibraryItem) -> bool:
    """The municipal body a school's practice was submitted to."""
    return (item.reviewer_org_id is not None and acting.org_id == item.reviewer_org_id
            and acting.role_enum in REVIEWER_ROLES)
