"""Survey jobs: dispatching a campaign's invitations, and the quarter-hourly tick (automatic
campaigns' invitations, due e-mails, reminders, expiry and closing). Thin: ids in, the domain
(mentorship/surveys/dispatch.py) does the work, exactly once per invitation."""
from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task

from core.clock import region_today
from core.extensions import db

log = logging.getLogger("nastavnik.surveys.tasks")

# Invitations e-mailed per tick (the rest waits for the next one, 15 minutes later).
TICK_LIMIT = 20_000


@shared_task(name="nastavnik.surveys.dispatch", bind=True, ignore_result=False, max_retries=8)
def dispatch(self, campaign_id: int, retry_base: float | None = None) -> int:
    """Create the campaign's invitations (idempotent) and e-mail the due ones; returns how many
    were sent by this run. When the SMTP server fails, the unsent claims are due again after
    the domain's backoff (1, 2, 4 … minutes; ``retry_base`` seconds replace the minute, for
    tests) and the task retries exactly then — it sends nothing twice, as only pending rows
    are claimed."""
    from mentorship.surveys.dispatch import RETRY_BASE, DispatchUnavailable, send_pending
    from mentorship.surveys.triggers import create_invitations

    create_invitations(campaign_id, region_today())
    db.session.commit()
    base = timedelta(seconds=retry_base) if retry_base else RETRY_BASE
    try:
        return send_pending(campaign_id, retry_base=base)
    except DispatchUnavailable as exc:
        if exc.retry_in is None:  # every unsent invitation gave up (MAX_ATTEMPTS): recorded as failed
            raise
        raise self.retry(exc=exc, countdown=exc.retry_in) from exc


@shared_task(name="nastavnik.surveys.tick", ignore_result=False)
def tick() -> dict:
    """Every 15 minutes: invitations of the automatic campaigns, the due e-mails of every open
    campaign (at most ``TICK_LIMIT``), reminders, then expiry and closing. An SMTP outage is
    logged and left to the next tick (the rows keep their own backoff)."""
    from mentorship.surveys.dispatch import DispatchUnavailable, expire_and_close, send_pending, send_reminders
    from mentorship.surveys.triggers import run_triggers

    today = region_today()
    figures = {"triggered": len(run_triggers(today))}
    db.session.commit()
    for name, step in (("sent", lambda: send_pending(None, limit=TICK_LIMIT)),
                       ("reminded", lambda: send_reminders(today))):
        try:
            figures[name] = step()
        except DispatchUnavailable as exc:
            log.warning("survey tick: %s stopped, SMTP unavailable: %s", name, exc)
            figures[name] = None
    figures["expired"] = expire_and_close(today)
    return figures
