"""Read services over the organisation tree for list pages (children, members, regions)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from core.extensions import db
from tenants.context import unscoped
from tenants.models import Invitation, Membership, Organization, User
from tenants.roles import Role


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


@dataclass(frozen=True)
class Member:
    """Someone to notify: an active user with an active membership of ``org_id``."""

    org_id: int
    user_id: int
    email: str
    name: str
    role: str


def active_members_select(roles: Iterable[Role | str] | None = None) -> sa.Select:
    """(org_id, user_id, email, full_name, role) of every active membership of an active user
    with one of ``roles`` (None: any role): the one definition of "the members of X with roles
    R", which callers narrow (by organisation ids, or by a subtree joined to the organisations)."""
    stmt = (
        sa.select(Membership.org_id, Membership.user_id, User.email, User.full_name, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(Membership.is_active.is_(True), User.is_active.is_(True))
    )
    if roles is not None:
        stmt = stmt.where(Membership.role.in_([getattr(r, "value", r) for r in roles]))
    return stmt


def active_members(org_ids: Iterable[int], roles: Iterable[Role | str] | None = None) -> dict[int, list[Member]]:
    """The active members of each organisation in ``org_ids`` with one of ``roles`` (None: any
    role), by e-mail (the earliest membership first); one query. Staff contacts of organisations
    named by id are read across the tree (a school's roadmap notifies its municipal body; a
    reminder job runs for all)."""
    ids = sorted(set(org_ids))
    if not ids:
        return {}
    stmt = (active_members_select(roles).where(Membership.org_id.in_(ids))
            .order_by(Membership.org_id, User.email, Membership.id))
    with unscoped("tenants.active_members"):
        rows = db.session.execute(stmt).all()
    out: dict[int, list[Member]] = {}
    for row in rows:
        out.setdefault(row.org_id, []).append(Member(row.org_id, row.user_id, row.email, row.full_name, row.role))
    return out
