"""Health tasks: a round trip through broker, worker and database."""
from __future__ import annotations

import sqlalchemy as sa
from celery import shared_task

from core.extensions import db
from tasks.tenant_task import as_tenant
from tenants.models import Membership


@shared_task(name="nastavnik.health.ping", ignore_result=False)
def ping() -> dict:
    """Answer with the database's view of the time: proves worker → database works."""
    now = db.session.execute(sa.text("SELECT CURRENT_TIMESTAMP")).scalar()
    return {"pong": True, "db_time": str(now)}


@shared_task(name="nastavnik.health.count_members", ignore_result=False)
@as_tenant
def count_members(org_id: int) -> int:
    """Members visible to ``org_id`` (its subtree): proves tasks run in the tenant scope."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Membership))
