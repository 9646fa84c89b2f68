"""Outgoing e-mail: one way for every message.

``queue_mail`` is what every caller uses: the message is handed to the Celery task
``nastavnik.mail.send`` once the caller's transaction commits (``enqueue_on_commit``), and the
worker sends it, retrying with backoff while the SMTP server fails. A request never waits on
SMTP (the password-reset page answers as fast for an unknown address as for a known one), and
nothing is sent for a change that rolled back.

``smtp_connection`` is the one SMTP session (stdlib ``smtplib``: TLS, login, timeout from the
``MAIL_*`` settings), or the console backend in development, which prints the message and
keeps it in ``app.extensions["mail_outbox"]``. The survey dispatch sends its batches through
it too (many messages over one connection, at a set rate).
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid

from celery import shared_task
from flask import current_app

from core.enqueue import enqueue_on_commit
from core.extensions import db
from core.task_retries import SMTP_RETRY

log = logging.getLogger("nastavnik.mail")


def build_message(to: str, subject: str, body: str, sender: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = " ".join(subject.split())  # no CR/LF from user-entered names
    message["Message-ID"] = make_msgid(domain="nastavnik.local")
    message.set_content(body)
    return message


class _Console:
    def send_message(self, message: EmailMessage) -> None:
        log.warning("E-mail (console backend) to %s: %s\n%s", message["To"], message["Subject"], message.get_content())
        current_app.extensions.setdefault("mail_outbox", []).append(message)


@contextmanager
def smtp_connection() -> Iterator[smtplib.SMTP | _Console]:
    """An open SMTP session (``send_message``) for the ``with`` block, quit at its end. Raises
    ``OSError`` / ``smtplib.SMTPException`` when the server cannot be reached or refuses."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "console":
        yield _Console()
        return
    smtp_cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = smtp_cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        yield smtp
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def is_transient(exc: Exception) -> bool:
    """An SMTP server that cannot be reached or answers 4xx (try later), as opposed to one
    recipient or message being refused for good (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (OSError, smtplib.SMTPException))


@shared_task(name="nastavnik.mail.send", **SMTP_RETRY)
def send(to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; returns whether it was sent. A server that cannot be
    reached, or answers "try later", makes Celery retry with backoff; a message refused for
    good (a bad address, a malformed header) is logged and dropped."""
    try:
        message = build_message(to, subject, body)
    except ValueError:  # a malformed header value: never deliverable
        log.error("mail to %r not sent: malformed header", to)
        return False
    try:
        with smtp_connection() as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        if is_transient(exc):
            raise
        log.error("mail to %s refused for good: %s", to, exc)
        return False
    return True


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send the message after the current transaction commits (by the worker, retried)."""
    enqueue_on_commit(db.session(), send, to, subject, body)
