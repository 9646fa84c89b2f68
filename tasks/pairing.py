"""Meeting jobs: the weekly reminder of pairs with no recent meeting (cross-tenant, exactly
once per school and week)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from core.clock import region_today
from mentorship.pairing.meeting_reminders import send_gap_reminders


@shared_task(name="nastavnik.meetings.gap_reminders", ignore_result=False)
def gap_reminders(today: str | None = None) -> int:
    """Remind the curators of every school with stale pairs (``today``: ISO date, default today
    in the region); returns how many schools were reminded. A rerun in the same week sends
    nothing; the e-mails go through the mail task, which retries SMTP failures itself."""
    day = date.fromisoformat(today) if today else region_today()
    return send_gap_reminders(day)
