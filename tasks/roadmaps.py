"""Roadmap jobs: the daily deadline reminders (cross-tenant, exactly once per reminder)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from core.clock import region_today
from core.mail import MailError
from mentorship.roadmaps.reminders import DAYS_BEFORE, send_deadline_reminders


@shared_task(
    name="nastavnik.roadmaps.deadline_reminders",
    bind=True,
    ignore_result=False,
    autoretry_for=(MailError,),
    # Retries inherit the beat message's expiry (an hour): 60+120+240+480+600 s fit in it.
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deadline_reminders(self, today: str | None = None, days_before: int = DAYS_BEFORE) -> int:
    """Send the reminders due on ``today`` (ISO date; default: today in the region); returns
    how many were sent by this run. Running it again, or in two workers at once, sends none twice."""
    day = date.fromisoformat(today) if today else region_today()
    return send_deadline_reminders(day, days_before)
