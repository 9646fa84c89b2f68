"""The organisation tree: creating organisations and keeping its invariants.

Invariants (checked on every flush, whatever code path wrote the row):
* a ministry is a root; a municipal body's parent is a ministry; a school's parent is a
  municipal body — so the tree is three levels deep and cannot have cycles;
* ``parent_id`` never changes after creation (moving subtrees is not supported), and
  ``path`` is the parent's path plus the organisation's own id;
* an organisation is created only inside the current tenant's subtree.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.extensions import db
from tenants import audit
from tenants.context import SystemScope, TenantScope, TenantScopeError, current_scope, unscoped
from tenants.models import Organization
from tenants.roles import PARENT_KIND, OrgKind
from tenants.scoping import ScopeViolation


class TreeError(ValueError):
    """A change would break the organisation tree's invariants."""


PENDING_PATH_PREFIX = "/pending/"


def create_organization(
    *, kind: OrgKind, name: str, parent: Organization | None, **fields
) -> Organization:
    """Create an organisation under ``parent`` and give it its materialised path."""
    org = Organization(
        kind=kind.value,
        name=name,
        parent=parent,
        path=f"{PENDING_PATH_PREFIX}{secrets.token_hex(8)}/",
        **fields,
    )
    db.session.add(org)
    db.session.flush()  # the id is part of the path
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    # A region's pages are known by the region (/p/kirovskaia-oblast/), the others by their name.
    named = org.region_name if kind is OrgKind.MINISTRY and org.region_name else org.short_name or org.name
    org.slug = unique_slug(named, org.id)
    db.session.flush()
    return org


def unique_slug(name: str, org_id: int) -> str:
    """A latin slug of ``name`` (python-slugify transliterates Cyrillic), suffixed with the
    organisation's id when another organisation of any region already has it."""
    base = slugify(name, max_length=60, word_boundary=True, replacements=[["№", ""]]) or "org"
    with unscoped("tenants.slug_unique"):
        taken = db.session.scalar(sa.select(sa.exists().where(Organization.slug == base)))
    return f"{base}-{org_id}" if taken else base


def create_child_organization(
    *, parent: Organization, kind: OrgKind, name: str, user=None, **fields
) -> Organization:
    """A municipal body or school created by a member of ``parent`` (in the parent's region),
    audited. The caller has checked the member's authority and commits."""
    child = create_organization(kind=kind, name=name, parent=parent, region_name=parent.region_name, **fields)
    audit.record("organization.created", org=child, obj=child, user=user, details={"name": child.name})
    return child


def _check_new(session: Session, org: Organization, scope) -> None:
    if not (org.path or "").startswith(PENDING_PATH_PREFIX):
        raise TreeError("create organisations with create_organization(): the path is derived")
    kind = OrgKind(org.kind)
    parent = org.parent
    if parent is None and org.parent_id is not None:
        parent = session.get(Organization, org.parent_id)
        if parent is None:
            raise ScopeViolation("parent organisation is outside the scope")
    expected = PARENT_KIND[kind]
    if expected is None and parent is not None:
        raise TreeError("a ministry has no parent organisation")
    if expected is not None and (parent is None or parent.kind != expected.value):
        raise TreeError(f"the parent of a {kind.value} must be a {expected.value}")
    if kind != OrgKind.SCHOOL and org.school_type:
        raise TreeError("only schools have a school type")
    if isinstance(scope, SystemScope):
        return
    if isinstance(scope, TenantScope):
        if parent is None or not scope.covers_path(parent.path):
            raise ScopeViolation("organisations are created only inside the current subtree")
        return
    raise TenantScopeError("organisations are created only with a current tenant or unscoped()")


def _check_changed(org: Organization, scope) -> None:
    state = sa.inspect(org)
    if state.attrs.parent_id.history.has_changes() or state.attrs.kind.history.has_changes():
        raise TreeError("an organisation's parent and kind cannot change")
    path_history = state.attrs.path.history
    if path_history.has_changes():
        old = (path_history.deleted or [""])[0]
        parent_path = org.parent.path if org.parent else "/"
        if not old.startswith(PENDING_PATH_PREFIX) or org.path != f"{parent_path}{org.id}/":
            raise TreeError("an organisation's path is derived from its parent and cannot be moved")
    if isinstance(scope, TenantScope) and not scope.covers_path(org.path):
        raise ScopeViolation("organisation outside the current subtree")


@event.listens_for(Session, "before_flush")
def _check_tree(session: Session, _flush_context, _instances) -> None:
    scope = current_scope()
    for obj in session.new:
        if isinstance(obj, Organization):
            _check_new(session, obj, scope)
    for obj in session.dirty:
        if isinstance(obj, Organization) and session.is_modified(obj):
            _check_changed(obj, scope)
    for obj in session.deleted:
        if isinstance(obj, Organization):
            raise TreeError("organisations are deactivated, never deleted")
