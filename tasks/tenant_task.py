"""Running a task as one organisation: the tenant comes from the task's arguments."""
from __future__ import annotations

from functools import wraps

from celery.signals import task_postrun

from core.extensions import db
from tenants.context import TenantScopeError, clear_scope, tenant_scope, unscoped
from tenants.models import Organization


def as_tenant(func):
    """Decorate a task body taking ``org_id`` first: it runs scoped to that organisation."""

    @wraps(func)
    def wrapper(org_id: int, *args, **kwargs):
        if org_id is None:
            raise TenantScopeError(f"task {func.__name__} needs an org_id")
        with unscoped("tasks.resolve_tenant"):
            org = db.session.get(Organization, org_id)
            path = org.path if org is not None else None
        if path is None:
            raise TenantScopeError(f"task {func.__name__}: organisation {org_id} does not exist")
        with tenant_scope(org_id, path):
            return func(org_id, *args, **kwargs)

    return wrapper


def _clear_scope_after_task(task=None, **_kwargs) -> None:
    # A worker never carries one task's tenant into the next. (Not after eager calls, which
    # run inside the caller's own scope.)
    if task is None or not task.request.is_eager:
        clear_scope()


def init_task_tenancy() -> None:
    """Clear the tenant scope after every task (one handler per process, however many apps)."""
    task_postrun.connect(_clear_scope_after_task, weak=False, dispatch_uid="nastavnik.clear_scope")
