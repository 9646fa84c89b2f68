"""The current tenant scope, held in a context variable.

Exactly one of these is in force while tenant-owned data is touched:

* ``TenantScope(org_id, path)`` — a request or task acting for one organisation;
* ``SystemScope(label)`` — explicit cross-tenant work, entered only via ``unscoped(label)``;
* ``PublicScope(region_path)`` — an anonymous visitor of one region's public pages: only rows
  marked public (``tenants.scoping.Publishable``) and the region's active organisations are
  readable, anything else raises, and nothing can be written (``public_scope(region_path)``).

With neither, a query of a tenant-owned model raises ``TenantScopeError`` (see scoping.py).
A context variable (not a global) keeps threads and greenlets apart; requests and tasks
clear it when they end.
"""
from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class TenantScopeError(RuntimeError):
    """Tenant-owned data was touched with no tenant and no explicit system label."""


@dataclass(frozen=True)
class TenantScope:
    org_id: int
    path: str

    def covers_path(self, path: str) -> bool:
        """True if an object owned at ``path`` is in this organisation's subtree."""
        return path.startswith(self.path)


@dataclass(frozen=True)
class SystemScope:
    label: str


@dataclass(frozen=True)
class PublicScope:
    region_path: str

    def covers_path(self, path: str) -> bool:
        return path.startswith(self.region_path)


Scope = TenantScope | SystemScope | PublicScope

_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("nastavnik_scope", default=None)


def current_scope() -> Scope | None:
    return _scope.get()


def set_scope(scope: Scope | None) -> contextvars.Token:
    return _scope.set(scope)


def clear_scope() -> None:
    _scope.set(None)


def require_tenant_scope() -> TenantScope:
    scope = _scope.get()
    if not isinstance(scope, TenantScope):
        raise TenantScopeError("this operation needs a current organisation")
    return scope


@contextmanager
def tenant_scope(org_id: int, path: str) -> Iterator[TenantScope]:
    """Act as organisation ``org_id`` (whose materialised path is ``path``)."""
    scope = TenantScope(org_id=org_id, path=path)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


@contextmanager
def unscoped(label: str) -> Iterator[SystemScope]:
    """The one escape hatch: run cross-tenant work, named so it can be found and reviewed."""
    if not label:
        raise ValueError("unscoped() needs a label naming the cross-tenant work")
    scope = SystemScope(label=label)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


@contextmanager
def public_scope(region_path: str) -> Iterator[PublicScope]:
    """Read one region's published rows as an anonymous visitor (the public pages)."""
    if not (region_path.startswith("/") and region_path.endswith("/") and region_path.count("/") == 2):
        raise ValueError(f"public_scope() takes a region's path, not {region_path!r}")
    scope = PublicScope(region_path=region_path)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)
