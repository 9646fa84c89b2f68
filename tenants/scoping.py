"""Automatic tenant isolation for the ORM (DESIGN §4).

A model declares its kind by its mixin:

* ``SharedUpward`` — visible to the owner organisation and its ancestors (roadmaps, reports);
* ``OwnerOnly`` — personal data, visible only while acting *as* the owner (participants, pairs);
* ``Lineage`` — visible to the owner, its ancestors *and* its descendants, never to siblings
  (survey templates and campaigns: a ministry's campaign reaches its schools, a school's own
  campaign stays out of the next school's sight).

``Organization`` itself is ``SubtreeVisible``: an organisation sees itself and its descendants.

Orthogonally, a model may be ``Publishable``: its ``is_public`` flag, kept by the domain service
(published *and* still allowed, e.g. the person's publication consent valid), is the only thing
an anonymous visitor's ``PublicScope`` can read, besides the region's active organisations.
Under a ``PublicScope`` a query touching any other tenant-owned table raises, and no write is
accepted: the public pages cannot leak what they cannot load.

A ``do_orm_execute`` hook adds ``with_loader_criteria`` to every ORM SELECT (relationship
loads included), UPDATE and DELETE; the tenant is a closure variable of the lambda, which
SQLAlchemy turns into a *bound parameter*, so cached statements never carry a stale tenant.
Statements the criteria cannot reach are refused, not run: a tenant table only in a WHERE
clause or ``exists()``, a Core ``Table``, ORM bulk INSERT and UPDATE-by-primary-key (see
tenants/statements.py). Attribute refreshes are filtered as well. A ``before_flush`` hook
refuses inserts, moves and changes outside the scope; tenants/session.py guards the identity
map and ``Session.bulk_*``. With no scope at all a query of a tenant-owned model raises.
Core ``text()`` SQL is not filtered: keep it out of request code.
"""
from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Mapper, ORMExecuteState, Session, mapped_column, with_loader_criteria
from sqlalchemy.orm.exc import ObjectDeletedError

from tenants.context import PublicScope, SystemScope, TenantScope, TenantScopeError, current_scope
from tenants.statements import entity_tables, referenced_tables

# Materialised paths compare byte-wise ("C" collation on PostgreSQL; SQLite's default is
# binary), so "the subtree of /1/7/" is the index range ["/1/7/", "/1/70") — '0' follows '/'.
PathString = sa.String(255).with_variant(sa.String(255, collation="C"), "postgresql")


def subtree_bounds(path: str) -> tuple[str, str]:
    """The half-open range of paths in the subtree rooted at ``path`` (which ends in '/')."""
    return path, path[:-1] + "0"


class TenantScoped:
    """Base of every tenant-owned model: the owner organisation and its denormalised path."""

    __tenant_visibility__: ClassVar[str]

    # Plain mapped_column on a mixin is copied to each subclass (SQLAlchemy 2.0); the
    # criteria lambdas below can then be analysed against the mixin itself.
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    org_path: Mapped[str] = mapped_column(PathString, index=True)


class SharedUpward(TenantScoped):
    """Visible to the owner and every organisation above it."""

    __tenant_visibility__ = "shared"


class OwnerOnly(TenantScoped):
    """Personal data: visible only to the owning organisation itself."""

    __tenant_visibility__ = "owner"


class RegionWide(TenantScoped):
    """Region reference data (settings, published templates, catalogues): visible to every
    organisation of the owner's region, written only from the owner's subtree."""

    __tenant_visibility__ = "region"


class Lineage(TenantScoped):
    """Visible along the owner's line: the owner, every organisation above it and every one
    below it (not its siblings); written only from the owner's subtree, like ``SharedUpward``."""

    __tenant_visibility__ = "lineage"


# Ancestor paths are compared as scalars (the tree is at most this deep: ministry, municipal
# body, school), padded with the scope's own path so the statement's shape never changes.
_MAX_ANCESTORS = 3


class Publishable(TenantScoped):
    """Rows that may be shown on the public pages while ``is_public`` is true. Combine with a
    visibility mixin, listed after it — ``class HonourCard(Publishable, OwnerOnly, db.Model)`` —
    which keeps deciding what signed-in users see."""

    is_public: Mapped[bool] = mapped_column(default=False, index=True)


def ancestor_paths(path: str) -> tuple[str, ...]:
    """The materialised paths strictly above ``path``, padded to ``_MAX_ANCESTORS`` entries."""
    parts = path.strip("/").split("/")
    above = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    if len(above) > _MAX_ANCESTORS:
        raise ValueError(f"organisation tree deeper than {_MAX_ANCESTORS + 1} levels: {path}")
    return tuple(above + [path] * (_MAX_ANCESTORS - len(above)))


def region_path(path: str) -> str:
    """The materialised path of the region (the ministry) that ``path`` belongs to."""
    return "/" + path.strip("/").split("/")[0] + "/"


class SubtreeVisible:
    """The organisation tree itself: a tenant sees itself and its descendants. The one mapped
    class with this mixin is the tree every tenant-owned row points into (``tree_class``)."""

    tree_class: ClassVar[type | None] = None
    path: Mapped[str] = mapped_column(PathString, unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)  # an inactive one has no public pages

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        SubtreeVisible.tree_class = cls


class ScopeViolation(TenantScopeError):
    """A write would put a row outside the current tenant's scope."""


_TENANT_TABLES: set = set()
_PUBLIC_TABLES: set = set()  # what a PublicScope may read: Publishable models and the tree


@event.listens_for(Mapper, "mapper_configured")
def _register_tenant_table(mapper: Mapper, cls) -> None:
    if issubclass(cls, (TenantScoped, SubtreeVisible)):
        _TENANT_TABLES.update(mapper.tables)
        if issubclass(cls, (Publishable, SubtreeVisible)):
            _PUBLIC_TABLES.update(mapper.tables)


def _is_tenant_class(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, (TenantScoped, SubtreeVisible))


def _involves_scoped(state: ORMExecuteState) -> bool:
    return any(_is_tenant_class(mapper.class_) for mapper in state.all_mappers)


def _criteria_for(scope: TenantScope) -> list:
    # Computed outside the lambdas: their closure variables become bound parameters, so the
    # cached statement takes this request's tenant, never a previous one.
    low, high = subtree_bounds(scope.path)
    region_low, region_high = subtree_bounds(region_path(scope.path))
    org_id = scope.org_id
    up1, up2, up3 = ancestor_paths(scope.path)
    return [
        with_loader_criteria(
            SharedUpward, lambda cls: sa.and_(cls.org_path >= low, cls.org_path < high), include_aliases=True
        ),
        with_loader_criteria(
            RegionWide,
            lambda cls: sa.and_(cls.org_path >= region_low, cls.org_path < region_high),
            include_aliases=True,
        ),
        with_loader_criteria(OwnerOnly, lambda cls: cls.org_id == org_id, include_aliases=True),
        with_loader_criteria(
            Lineage,
            lambda cls: sa.or_(
                sa.and_(cls.org_path >= low, cls.org_path < high),
                cls.org_path == up1, cls.org_path == up2, cls.org_path == up3,
            ),
            include_aliases=True,
        ),
        with_loader_criteria(
            SubtreeVisible, lambda cls: sa.and_(cls.path >= low, cls.path < high), include_aliases=True
        ),
    ]


def _public_criteria(scope: PublicScope) -> list:
    low, high = subtree_bounds(scope.region_path)
    return [
        with_loader_criteria(
            Publishable,
            lambda cls: sa.and_(cls.org_path >= low, cls.org_path < high, cls.is_public.is_(True)),
            include_aliases=True,
        ),
        with_loader_criteria(
            SubtreeVisible,
            lambda cls: sa.and_(cls.path >= low, cls.path < high, cls.is_active.is_(True)),
            include_aliases=True,
        ),
    ]


def _public_clause(cls, scope: PublicScope):
    low, high = subtree_bounds(scope.region_path)
    if issubclass(cls, SubtreeVisible):
        return sa.and_(cls.path >= low, cls.path < high, cls.is_active.is_(True))
    if issubclass(cls, Publishable):
        return sa.and_(cls.org_path >= low, cls.org_path < high, cls.is_public.is_(True))
    return sa.false()


def _apply_public_criteria(state: ORMExecuteState, scope: PublicScope) -> None:
    """An anonymous visitor reads published rows of one region, and nothing else."""
    if not state.is_select:
        if _involves_scoped(state) or _analyse(state.statement)[0]:
            raise ScopeViolation("the public pages only read: no write of tenant-owned rows")
        return
    if state.is_column_load:
        for mapper in state.all_mappers:
            if _is_tenant_class(mapper.class_):
                state.statement = state.statement.where(_public_clause(mapper.class_, scope))
        return
    touched, unreachable = _analyse(state.statement)
    private = {t for t in touched if t not in _PUBLIC_TABLES}
    private |= {t for m in state.all_mappers if _is_tenant_class(m.class_) for t in m.tables if t not in _PUBLIC_TABLES}
    if private:
        names = ", ".join(sorted(t.name for t in private))
        raise TenantScopeError(f"the public pages may not read {names}: not Publishable")
    if unreachable:
        names = ", ".join(sorted(t.name for t in unreachable))
        raise ScopeViolation(f"tenant-owned table(s) {names} appear where the public filter cannot reach")
    state.statement = state.statement.options(*_public_criteria(scope))


_DENY_ALL = [
    with_loader_criteria(TenantScoped, lambda cls: sa.false(), include_aliases=True),
    with_loader_criteria(SubtreeVisible, lambda cls: sa.false(), include_aliases=True),
]


_ANALYSIS_CACHE: dict = {}
_ANALYSIS_CACHE_SIZE = 2000


def _analyse(statement) -> tuple[frozenset, frozenset]:
    """(tenant tables touched, those the criteria cannot reach), cached by the statement's
    structure (SQLAlchemy's cache key, which leaves out bound values)."""
    cache_key = statement._generate_cache_key()
    key = cache_key.key if cache_key is not None else None
    if key is not None and key in _ANALYSIS_CACHE:
        return _ANALYSIS_CACHE[key]
    touched = frozenset(referenced_tables(statement, _TENANT_TABLES))
    result = (touched, frozenset(touched - entity_tables(statement)) if touched else frozenset())
    if key is not None:
        if len(_ANALYSIS_CACHE) >= _ANALYSIS_CACHE_SIZE:
            _ANALYSIS_CACHE.clear()
        _ANALYSIS_CACHE[key] = result
    return result


def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    """ORM bulk INSERT, and UPDATE by primary key, write without the criteria: refused."""
    if state.is_insert and _involves_scoped(state):
        raise ScopeViolation(
            "bulk INSERT of tenant-owned rows bypasses the scope checks; use session.add_all(), "
            "or unscoped('<why>') after validating every row's owner"
        )
    if state.is_update and isinstance(state.parameters, (list, tuple)) and _involves_scoped(state):
        raise ScopeViolation("bulk UPDATE by primary key of tenant-owned rows bypasses the scope checks")


@event.listens_for(Session, "do_orm_execute")
def _apply_tenant_criteria(state: ORMExecuteState) -> None:
    scope = current_scope()
    if isinstance(scope, SystemScope):
        return
    if isinstance(scope, PublicScope):
        _refuse_bulk_writes(state)
        _apply_public_criteria(state, scope)
        return
    _refuse_bulk_writes(state)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_select and state.is_column_load:
        # Refreshing attributes of an object the session already holds (it may have been
        # loaded under another scope). As a tenant, the refresh itself is filtered, so an
        # out-of-scope object fails closed (ObjectDeletedError).
        if isinstance(scope, TenantScope):
            for mapper in state.all_mappers:
                if _is_tenant_class(mapper.class_):
                    state.statement = state.statement.where(_scope_clause(mapper.class_, scope))
        return
    touched, unreachable = _analyse(state.statement)
    if isinstance(scope, TenantScope):
        if unreachable:
            names = ", ".join(sorted(t.name for t in unreachable))
            raise ScopeViolation(
                f"tenant-owned table(s) {names} appear where the tenant filter cannot reach "
                "(only in WHERE, in exists(), or as a Core table); select or join the ORM entity"
            )
        state.statement = state.statement.options(*_criteria_for(scope))
        return
    if touched or _involves_scoped(state):
        raise TenantScopeError(
            "query of tenant-owned data with no current tenant; "
            "set a tenant or use tenants.context.unscoped('<why>')"
        )
    # A non-tenant entity at the top (e.g. User) may still eager-load tenant-owned rows:
    # with no tenant those rows are simply not there.
    state.statement = state.statement.options(*_DENY_ALL)


def _scope_clause(cls, scope: TenantScope):
    low, high = subtree_bounds(scope.path)
    if issubclass(cls, OwnerOnly):
        return cls.org_id == scope.org_id
    if issubclass(cls, RegionWide):
        region_low, region_high = subtree_bounds(region_path(scope.path))
        return sa.and_(cls.org_path >= region_low, cls.org_path < region_high)
    if issubclass(cls, SharedUpward):
        return sa.and_(cls.org_path >= low, cls.org_path < high)
    if issubclass(cls, Lineage):
        return sa.or_(sa.and_(cls.org_path >= low, cls.org_path < high), cls.org_path.in_(ancestor_paths(scope.path)))
    return sa.and_(cls.path >= low, cls.path < high)


def refuse_bulk_methods(mapped_class: type) -> None:
    """Session.bulk_* bypass flush events: tenant-owned classes only under unscoped()."""
    if _is_tenant_class(mapped_class) and not isinstance(current_scope(), SystemScope):
        raise ScopeViolation(f"Session bulk methods on {mapped_class.__name__} need unscoped('<why>')")


def _owner_path(session: Session, obj: TenantScoped) -> str:
    org = session.get(SubtreeVisible.tree_class, obj.org_id)
    if org is None:
        raise ScopeViolation(f"{type(obj).__name__}: organisation {obj.org_id} is outside the scope")
    return org.path


def _check_tenant_row(session: Session, obj: TenantScoped, scope) -> None:
    if obj.org_id is None:
        if not isinstance(scope, TenantScope):
            raise ScopeViolation(f"{type(obj).__name__} needs an owner organisation")
        obj.org_id = scope.org_id
    obj.org_path = _owner_path(session, obj)
    if isinstance(scope, SystemScope):
        return
    if scope is None:
        raise TenantScopeError(f"write of {type(obj).__name__} with no current tenant")
    if obj.__tenant_visibility__ == "owner":
        allowed = obj.org_id == scope.org_id
    else:
        allowed = scope.covers_path(obj.org_path)
    if not allowed:
        raise ScopeViolation(f"{type(obj).__name__} may not be written into organisation {obj.org_id}")


def _owner_changed(obj) -> bool:
    state = sa.inspect(obj)
    return state.attrs.org_id.history.has_changes() or state.attrs.org_path.history.has_changes()


@event.listens_for(Session, "before_flush")
def _refuse_out_of_scope_writes(session: Session, _flush_context, _instances) -> None:
    scope = current_scope()
    if isinstance(scope, PublicScope):
        written = [*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o))]
        if any(isinstance(o, (TenantScoped, SubtreeVisible)) for o in written):
            raise ScopeViolation("the public pages only read: no write of tenant-owned rows")
    for obj in session.new:
        if isinstance(obj, TenantScoped):
            _check_tenant_row(session, obj, scope)
    for obj in session.dirty:
        if isinstance(obj, TenantScoped) and _owner_changed(obj):
            _check_tenant_row(session, obj, scope)
    changed = [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)
    for obj in changed:
        if not isinstance(obj, (TenantScoped, SubtreeVisible)):
            continue
        if scope is None:
            raise TenantScopeError(f"write of {type(obj).__name__} with no current tenant")
        if isinstance(scope, TenantScope) and not _still_writable(obj, scope):
            # e.g. an object loaded under another scope earlier in the same session
            raise ScopeViolation(f"{type(obj).__name__} is outside the current scope")


def _still_writable(obj, scope: TenantScope) -> bool:
    try:
        if isinstance(obj, (RegionWide, Lineage)):  # read more widely, written from the owner's subtree
            return scope.covers_path(obj.org_path or "")
        return visible_to(obj, scope)
    except ObjectDeletedError:  # its refresh, filtered by the scope, found no row
        return False


def visible_to(obj, scope: TenantScope) -> bool:
    """Whether ``scope`` may see ``obj``, by the same rules as the query criteria."""
    if isinstance(obj, OwnerOnly):
        return obj.org_id == scope.org_id
    if isinstance(obj, SharedUpward):
        return scope.covers_path(obj.org_path or "")
    if isinstance(obj, RegionWide):
        return (obj.org_path or "").startswith(region_path(scope.path))
    if isinstance(obj, Lineage):
        return scope.covers_path(obj.org_path or "") or (obj.org_path or "") in ancestor_paths(scope.path)
    return scope.covers_path(obj.path or "")
