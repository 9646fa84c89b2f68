"""Celery beat's schedule. Exactly one beat runs (docker-compose.yml); its time zone is the
explicit ``CELERY["timezone"]`` (Europe/Moscow unless CELERY_TIMEZONE says otherwise).
Later issues add the daily monitoring tick and reminder jobs here."""
from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "health-heartbeat": {
        "task": "nastavnik.health.ping",
        "schedule": crontab(minute="*/5"),
        # A heartbeat nobody ran within a minute is stale: drop it rather than pile up.
        "options": {"expires": 60},
    },
    "roadmap-deadline-reminders": {
        "task": "nastavnik.roadmaps.deadline_reminders",
        # Daily at 07:00 in beat's time zone; a missed day is caught up by the next run
        # (the 'before' window is a week), and a repeated run sends nothing twice.
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 3600},
    },
}
