"""The retry presets of Celery tasks, one per kind of failure that passes by itself.

Use as ``@shared_task(name=..., **DATABASE_RETRY)``. A task that is not retried on some error
lets it fail: only transient failures are worth another try.
"""
from __future__ import annotations

import smtplib

from sqlalchemy.exc import OperationalError

# The mail server is down or refuses for now: try again for about a day (30 s doubling, capped
# at an hour, with jitter so a queue of messages does not come back at once).
SMTP_RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
}

# The database went away (a restart, a failover, a dropped connection): a few tries within ten
# minutes. A constraint violation or a bug is not an OperationalError and is not retried.
DATABASE_RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 15,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}
