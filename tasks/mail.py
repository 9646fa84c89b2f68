"""Sending one e-mail in the background, retried with backoff when the SMTP server fails."""
from __future__ import annotations

from celery import shared_task

from core.mail import MailError, send_mail


@shared_task(
    name="nastavnik.mail.send",
    autoretry_for=(MailError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send(to: str, subject: str, body: str) -> None:
    send_mail(to, subject, body)
