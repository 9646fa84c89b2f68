"""Report jobs: the daily reminder about reports not submitted by their deadline
(cross-tenant, exactly once per report and deadline; see mentorship/reports/deadlines.py)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from core.clock import region_today
from mentorship.reports.workflow import send_report_reminders
from mentorship.reports.deadlines import DEFAULT_DAYS
from tasks import mail as mail_task


@shared_task(name="nastavnik.reports.reminders", ignore_result=False)
def reminders(today: str | None = None, days: int = DEFAULT_DAYS) -> int:
    """Remind the members of every school and municipal body whose report is due within
    ``days`` days or overdue (``today``: ISO date, default today in the region); returns how
    many reminders were sent. A rerun sends nothing twice; the e-mails go through the mail
    task, which retries SMTP failures itself."""
    day = date.fromisoformat(today) if today else region_today()
    return send_report_reminders(day, mail_task.send, days=days)
