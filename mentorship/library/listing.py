"""The library's list pages: the search over what an organisation may read, its own
materials, and the review queue of a municipal body."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from mentorship.library.access import visible_clause
from mentorship.library.catalogue import CATEGORIES, STATUSES
from mentorship.library.models import LibraryItem
from mentorship.library.search import matches, rank
from tenants.models import Organization


@dataclass(frozen=True)
class LibraryFilters:
    search: str = ""
    category: str = ""
    form: str = ""


def _filtered(stmt: sa.Select, filters: LibraryFilters) -> sa.Select:
    if filters.category in CATEGORIES:
        stmt = stmt.where(LibraryItem.category == filters.category)
    if filters.form:
        # Codes are whole words of a comma-separated list: ",a,b," contains ",a,".
        stmt = stmt.where((sa.literal(",") + LibraryItem.form_codes + sa.literal(",")).like(f"%,{filters.form},%"))
    if filters.search:
        stmt = stmt.where(matches(filters.search))
    return stmt


def search_query(org: Organization, filters: LibraryFilters = LibraryFilters()) -> sa.Select:
    """The published materials ``org`` may read, best match first when searching (newest
    first otherwise)."""
    stmt = _filtered(sa.select(LibraryItem).where(LibraryItem.status == "published", visible_clause(org)), filters)
    order = [LibraryItem.published_at.desc(), LibraryItem.id.desc()]
    score = rank(filters.search) if filters.search else None
    if score is not None:
        order.insert(0, score.desc())
    return stmt.order_by(*order)


def own_query(org: Organization, filters: LibraryFilters = LibraryFilters(), status: str = "") -> sa.Select:
    """The organisation's own materials, whatever their status, last changed first."""
    stmt = _filtered(sa.select(LibraryItem).where(LibraryItem.org_id == org.id), filters)
    if status in STATUSES:
        stmt = stmt.where(LibraryItem.status == status)
    return stmt.order_by(LibraryItem.updated_at.desc(), LibraryItem.id.desc()).options(
        selectinload(LibraryItem.versions))


def review_query(org: Organization, *, status: str = "submitted") -> sa.Select:
    """Schools' practices submitted to ``org`` for review (by default those waiting)."""
    stmt = sa.select(LibraryItem).where(LibraryItem.reviewer_org_id == org.id, visible_clause(org))
    if status in STATUSES:
        stmt = stmt.where(LibraryItem.status == status)
    return stmt.order_by(LibraryItem.submitted_at.desc(), LibraryItem.id.desc())
