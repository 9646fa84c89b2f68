"""Closes the identity-map gap of ``Session.get`` for tenant-owned objects.

``Session.get`` answers from the identity map without running a query, so the
``do_orm_execute`` criteria never see it. An object loaded earlier in the same session under
a wider scope (``unscoped``) could otherwise come back to a narrower tenant. This session
check vetoes what ``get`` returns outside the current scope.
"""
from __future__ import annotations

from core.session import CheckedGetSession

from tenants.context import SystemScope, TenantScope, TenantScopeError, current_scope
from tenants.scoping import OwnerOnly, SharedUpward, SubtreeVisible, TenantScoped


def visible_in_scope(obj) -> bool:
    """Whether the current scope may see ``obj`` (True for models that are not tenant-owned)."""
    if not isinstance(obj, (TenantScoped, SubtreeVisible)):
        return True
    scope = current_scope()
    if isinstance(scope, SystemScope):
        return True
    if not isinstance(scope, TenantScope):
        raise TenantScopeError(f"{type(obj).__name__} read with no current tenant")
    if isinstance(obj, OwnerOnly):
        return obj.org_id == scope.org_id
    if isinstance(obj, SharedUpward):
        return scope.covers_path(obj.org_path or "")
    return scope.covers_path(obj.path or "")


def install_get_check() -> None:
    if visible_in_scope not in CheckedGetSession.get_checks:
        CheckedGetSession.get_checks.append(visible_in_scope)
