"""Roadmap jobs: the daily deadline reminders (cross-tenant, exactly once per reminder)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from core.clock import region_today
from core.task_retries import DATABASE_RETRY
from mentorship.roadmaps.reminders import DAYS_BEFORE, send_deadline_reminders


@shared_task(name="nastavnik.roadmaps.deadline_reminders", ignore_result=False, **DATABASE_RETRY)
def deadline_reminders(today: str | None = None, days_before: int = DAYS_BEFORE) -> int:
    """Send the reminders due on ``today`` (ISO date; default: today in the region); returns
    how many were sent by this run. Running it again, or in two workers at once, sends none
    twice; the e-mails go through the mail task, which retries SMTP failures itself."""
    day = date.fromisoformat(today) if today else region_today()
    return send_deadline_reminders(day, days_before)
