"""Read services over the organisation tree for list pages (children, members, regions)."""
from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db

from tenants.models import Invitation, Membership, Organization, User


def children_of(org: Organization, search: str = "", *, active_only: bool = False) -> sa.Select:
    stmt = sa.select(Organization).where(Organization.parent_id == org.id)
    if active_only:
        stmt = stmt.where(Organization.is_active.is_(True))
    if search:
        pattern = f"%{search}%"
        stmt = stmt.where(sa.or_(Organization.name.ilike(pattern), Organization.short_name.ilike(pattern)))
    return stmt.order_by(Organization.name, Organization.id)


def regions(search: str = "") -> sa.Select:
    stmt = sa.select(Organization).where(Organization.parent_id.is_(None))
    if search:
        pattern = f"%{search}%"
        stmt = stmt.where(sa.or_(Organization.name.ilike(pattern), Organization.region_name.ilike(pattern)))
    return stmt.order_by(Organization.region_name, Organization.id)


def members_of(org: Organization, search: str = "") -> sa.Select:
    stmt = sa.select(Membership).join(Membership.user).where(Membership.org_id == org.id)
    if search:
        pattern = f"%{search}%"
        stmt = stmt.where(sa.or_(User.full_name.ilike(pattern), User.email.ilike(pattern)))
    return stmt.order_by(User.full_name, Membership.id)


def pending_invitations(org: Organization) -> sa.Select:
    return (
        sa.select(Invitation)
        .where(Invitation.org_id == org.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc())
    )


def child_counts(org_ids: list[int]) -> dict[int, int]:
    """Number of children of each organisation in ``org_ids``: one query for a whole page."""
    if not org_ids:
        return {}

    rows = db.session.execute(
        sa.select(Organization.parent_id, sa.func.count(Organization.id))
        .where(Organization.parent_id.in_(org_ids))
        .group_by(Organization.parent_id)
    )
    return {parent_id: count for parent_id, count in rows}
