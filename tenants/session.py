"""Guards for what bypasses the ORM events: ``Session.get`` / ``Query.get`` answered from
the identity map, and the ``Session.bulk_*`` methods.

An object loaded earlier in the same session under a wider scope (``unscoped``) could
otherwise come back to a narrower tenant through ``get``; the check vetoes it.
"""
from __future__ import annotations

from core.session import GuardedSession
from tenants.context import PublicScope, SystemScope, TenantScope, TenantScopeError, current_scope
from tenants.scoping import Publishable, SubtreeVisible, TenantScoped, refuse_bulk_methods, visible_to


def visible_in_scope(obj) -> bool:
    """Whether the current scope may see ``obj`` (True for models that are not tenant-owned)."""
    if not isinstance(obj, (TenantScoped, SubtreeVisible)):
        return True
    scope = current_scope()
    if isinstance(scope, SystemScope):
        return True
    if isinstance(scope, PublicScope):  # identity map: only what the public criteria would load
        if isinstance(obj, SubtreeVisible):
            return scope.covers_path(obj.path or "") and bool(obj.is_active)
        return isinstance(obj, Publishable) and bool(obj.is_public) and scope.covers_path(obj.org_path or "")
    if not isinstance(scope, TenantScope):
        raise TenantScopeError(f"{type(obj).__name__} read with no current tenant")
    return visible_to(obj, scope)


def install_session_guards() -> None:
    if visible_in_scope not in GuardedSession.get_checks:
        GuardedSession.get_checks.append(visible_in_scope)
    if refuse_bulk_methods not in GuardedSession.bulk_checks:
        GuardedSession.bulk_checks.append(refuse_bulk_methods)
