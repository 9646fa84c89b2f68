"""Celery beat's schedule. Exactly one beat runs (docker-compose.yml); its time zone is the
explicit ``CELERY["timezone"]`` (Europe/Moscow unless CELERY_TIMEZONE says otherwise).
The daily monitoring tick is here; later issues add their reminder jobs."""
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
    "meeting-gap-reminders": {
        "task": "nastavnik.meetings.gap_reminders",
        # Weekly, Monday 08:00 in beat's time zone; one reminder per school and week, so a
        # repeated run changes nothing. A run not started within 12 hours is dropped.
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
        "options": {"expires": 12 * 3600},
    },
    "monitoring-tick": {
        "task": "nastavnik.monitoring.tick",
        # Daily at 01:30 in beat's time zone; each region's own today decides (its time zone),
        # a missed day is caught up by the next tick, a repeated one creates nothing twice.
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 6 * 3600},
    },
    "monitoring-provisional": {
        "task": "nastavnik.monitoring.provisional_tick",
        # Daily at 02:30: the coming period's figures counted provisionally (not frozen), so
        # the dashboards show the current state without scanning raw rows per request.
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    "report-reminders": {
        "task": "nastavnik.reports.reminders",
        # Daily at 07:30 in beat's time zone: reports due within 3 days or overdue; one
        # reminder per report and deadline, so a repeated or missed-then-caught-up run
        # sends nothing twice.
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 6 * 3600},
    },
    "surveys-tick": {
        "task": "nastavnik.surveys.tick",
        # Every 15 minutes: automatic campaigns' invitations, due e-mails (bounded per tick),
        # reminders, expiry and closing. Every step claims its rows, so an overlapping or
        # repeated tick sends nothing twice; a tick not started within 10 minutes is dropped.
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    "public-refresh-counts": {
        "task": "nastavnik.public.refresh_counts",
        # Nightly at 03:00: the counts on published public pages (pairs, mentors, mentees —
        # numbers only) re-counted under each school's own scope; a missed night waits a day.
        "schedule": crontab(hour=3, minute=0),
        "options": {"expires": 6 * 3600},
    },
}
