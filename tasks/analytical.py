"""The analytical report's job: build one report's DOCX and XLSX as its organisation."""
from __future__ import annotations

from celery import shared_task
from sqlalchemy.exc import OperationalError

from core.clock import region_today
from mentorship.reports.analytical.build import build_report
from tasks.tenant_task import as_tenant


@shared_task(
    name="nastavnik.analytical.build",
    ignore_result=False,
    autoretry_for=(OperationalError,),
    retry_backoff=15,
    retry_backoff_max=300,
    max_retries=5,
)
@as_tenant
def build(org_id: int, report_id: int) -> str:
    """Build report ``report_id`` of organisation ``org_id`` (the region or a municipal body);
    returns the status it ends in. A retried task on a finished report does nothing
    (mentorship/reports/analytical/build.py)."""
    return build_report(report_id, region_today())
