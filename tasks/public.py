"""Public pages' job: every night, the programme's counts on each published school page are
taken again from the school's pairs (counts only), each school under its own tenant scope."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from core.clock import region_today
from core.extensions import db
from core.task_retries import DATABASE_RETRY
from mentorship.public.programme import published_school_pages, refresh_counts
from tenants.context import tenant_scope


@shared_task(name="nastavnik.public.refresh_counts", ignore_result=False, **DATABASE_RETRY)
def refresh_public_counts(today: str | None = None) -> int:
    """Refresh the counts of every published school page (``today``: ISO date, default the
    region's today); returns how many pages changed. Each school is committed on its own, so a
    repeated or interrupted run only redoes what it did not finish."""
    day = date.fromisoformat(today) if today else region_today()
    changed = 0
    for org_id, path in published_school_pages():
        with tenant_scope(org_id, path):
            changed += refresh_counts(org_id, day)
            db.session.commit()
    return changed
