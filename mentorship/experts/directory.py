"""Finding experts: who may see whom, the search, and the names of the region's bodies.

An expert is loaded through the tenant scope (``Lineage``: the keeper's line, never a sibling
keeper's bank); on top of that, only the keeper sees an expert who has not consented to be
shown, or who is archived or erased. Everything that shows an expert outside the keeper goes
through ``visible_clause`` — so withdrawing the display consent hides the expert at once.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import NotFound
from core.extensions import db
from core.search import contains
from mentorship.experts.catalogue import AREAS
from mentorship.experts.models import Expert
from tenants.context import public_scope
from tenants.models import Membership, Organization
from tenants.roles import OrgKind, Role
from tenants.scoping import region_path


class ExpertNotFound(NotFound):
    MESSAGES = {"not_found": _l("There is no such expert.")}


def shown_clause():
    """The expert may be shown to the region's users: consented, active, not erased."""
    return sa.and_(Expert.display_consent.is_(True), Expert.is_active.is_(True), Expert.erased_at.is_(None))


def visible_clause(org_id: int):
    """What the organisation ``org_id`` may see of the experts the scope lets it load: its own
    bank whole, anyone else's only the shown experts."""
    return sa.or_(Expert.org_id == org_id, shown_clause())


def is_keeper_kind(org: Organization) -> bool:
    """Only the ministry and municipal bodies keep an expert bank."""
    return org.kind in (OrgKind.MINISTRY.value, OrgKind.MUNICIPALITY.value)


@dataclass(frozen=True)
class ExpertFilters:
    search: str = ""
    area: str = ""
    municipality_id: int | None = None
    kind: str = ""
    only_own: bool = False  # the keeper's own bank only (the keeper's page)


def experts_query(org: Organization, filters: ExpertFilters = ExpertFilters()) -> sa.Select:
    """The experts ``org`` may see, filtered, by name."""
    stmt = sa.select(Expert).where(visible_clause(org.id))
    if filters.only_own:
        stmt = stmt.where(Expert.org_id == org.id)
    else:
        stmt = stmt.where(Expert.erased_at.is_(None))
    if filters.search:
        stmt = stmt.where(sa.or_(
            contains(Expert.full_name, filters.search), contains(Expert.workplace, filters.search),
            contains(Expert.position, filters.search), contains(Expert.tags, filters.search),
        ))
    if filters.area in AREAS:
        # Codes are whole words of a comma-separated list: ",a,b," contains ",a,".
        stmt = stmt.where((sa.literal(",") + Expert.areas + sa.literal(",")).like(f"%,{filters.area},%"))
    if filters.municipality_id:
        stmt = stmt.where(Expert.municipality_id == filters.municipality_id)
    if filters.kind:
        stmt = stmt.where(Expert.kind == filters.kind)
    return stmt.order_by(Expert.full_name, Expert.id)


def visible_expert(expert_id: int, org: Organization) -> Expert:
    """The expert, if ``org`` may see it; ``ExpertNotFound`` (a 404) otherwise."""
    expert = db.session.scalar(sa.select(Expert).where(Expert.id == expert_id, visible_clause(org.id)))
    if expert is None:
        raise ExpertNotFound("not_found")
    return expert


def own_expert(expert_id: int, org: Organization) -> Expert:
    """An expert of ``org``'s own bank (the keeper's pages); ``ExpertNotFound`` otherwise."""
    expert = db.session.scalar(sa.select(Expert).where(Expert.id == expert_id, Expert.org_id == org.id))
    if expert is None:
        raise ExpertNotFound("not_found")
    return expert


def can_ask(org: Organization, expert: Expert) -> bool:
    """An organisation below the expert's keeper may ask a shown expert for help."""
    return expert.is_shown and org.path.startswith(expert.org_path) and org.id != expert.org_id


def body_names(org: Organization) -> dict[int, str]:
    """The names of the ministry and the municipal bodies of ``org``'s region, by id.

    A school cannot load the organisations above it; their names are public, so they are read
    as the public pages read them (active organisations of the region, plain values only)."""
    with public_scope(region_path(org.path)):
        rows = db.session.execute(
            sa.select(Organization.id, Organization.name, Organization.short_name)
            .where(Organization.kind.in_([OrgKind.MINISTRY.value, OrgKind.MUNICIPALITY.value]))
            .order_by(Organization.path)
        ).all()
    return {row.id: row.short_name or row.name for row in rows}


def municipality_choices(org: Organization) -> list[tuple[int, str]]:
    """(id, name) of the region's municipal bodies, for the search's filter."""
    names = body_names(org)
    ministry_id = int(region_path(org.path).strip("/"))
    return sorted(((i, n) for i, n in names.items() if i != ministry_id), key=lambda pair: pair[1])


def keepers_above(org: Organization) -> list[int]:
    """The ids of the banks' keepers ``org`` may ask: the bodies above it, nearest first."""
    return [int(part) for part in reversed(org.path.strip("/").split("/")[:-1])]


def expert_choices(org: Organization) -> list[tuple[int, str]]:
    """(id, label) of the shown experts ``org`` may see, by name: for a course's teachers or a
    contest's jury (the areas above)."""
    rows = db.session.execute(
        sa.select(Expert.id, Expert.full_name, Expert.workplace).where(shown_clause())
        .order_by(Expert.full_name, Expert.id)
    ).all()
    return [(row.id, f"{row.full_name} ({row.workplace})" if row.workplace else row.full_name) for row in rows]


def expert_user_ids(org: Organization) -> set[int]:
    """The users holding the role ``expert`` in ``org`` (a keeper) whose membership is active."""
    return set(db.session.scalars(
        sa.select(Membership.user_id).where(
            Membership.org_id == org.id, Membership.role == Role.EXPERT.value, Membership.is_active.is_(True)
        )
    ))


def expert_of_user(user_id: int, org: Organization) -> Expert | None:
    """The expert of ``org``'s bank whose account is ``user_id`` (an expert signed in)."""
    return db.session.scalar(sa.select(Expert).where(
        Expert.org_id == org.id, Expert.user_id == user_id, Expert.erased_at.is_(None)
    ).order_by(Expert.id).limit(1))
