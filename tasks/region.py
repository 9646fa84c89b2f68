"""Region jobs: the e-mails of an announcement to the staff of its recipient organisations,
queued a batch at a time after the announcement is committed (mentorship/region/announcements.py)."""
from __future__ import annotations

from celery import shared_task

from core.task_retries import DATABASE_RETRY
from mentorship.region.announcements import MAIL_BATCH, mail_recipients
from tasks.tenant_task import as_tenant


@shared_task(name="nastavnik.region.announcement_mail", ignore_result=False, **DATABASE_RETRY)
@as_tenant
def announcement_mail(org_id: int, announcement_id: int, batch_size: int = MAIL_BATCH) -> int:
    """Queue the e-mails of announcement ``announcement_id`` sent by organisation ``org_id``
    (run as the sender); returns how many were queued. A retried or repeated task mails nobody
    twice: each recipient is claimed once; the mail task retries SMTP failures itself."""
    return mail_recipients(announcement_id, batch_size)
