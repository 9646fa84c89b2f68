"""Report jobs: the daily reminder about reports not submitted by their deadline
(cross-tenant, exactly once per report and deadline; see mentorship/reports/deadlines.py), and
the analytical report's build (one report's DOCX and XLSX, as its organisation)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from core.clock import region_today
from core.task_retries import DATABASE_RETRY
from mentorship.reports.analytical.build import build_report
from mentorship.reports.deadlines import DEFAULT_DAYS, send_report_reminders
from tasks.tenant_task import as_tenant


@shared_task(name="nastavnik.reports.reminders", ignore_result=False)
def reminders(today: str | None = None, days: int = DEFAULT_DAYS) -> int:
    """Remind the members of every school and municipal body whose report is due within
    ``days`` days or overdue (``today``: ISO date, default today in the region); returns how
    many reminders were sent. A rerun sends nothing twice; the e-mails go through the mail
    task, which retries SMTP failures itself."""
    day = date.fromisoformat(today) if today else region_today()
    return send_report_reminders(day, days=days)


@shared_task(name="nastavnik.analytical.build", ignore_result=False, **DATABASE_RETRY)
@as_tenant
def build(org_id: int, report_id: int) -> str:
    """Build report ``report_id`` of organisation ``org_id`` (the region or a municipal body);
    returns the status it ends in. A retried task on a finished report does nothing
    (mentorship/reports/analytical/build.py)."""
    return build_report(report_id, region_today())
