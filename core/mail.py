"""Outgoing e-mail through SMTP (stdlib ``smtplib``), or printed by the console backend."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

log = logging.getLogger("nastavnik.mail")


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def build_message(to: str, subject: str, body: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = " ".join(subject.split())  # no CR/LF from user-entered names
    message["Message-ID"] = make_msgid(domain="nastavnik.local")
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> EmailMessage:
    """Send one plain-text message; raise MailError when the server refuses it."""
    config = current_app.config
    try:
        message = build_message(to, subject, body, config["MAIL_DEFAULT_SENDER"])
    except ValueError as exc:  # a malformed header value
        raise MailError(str(exc)) from exc
    if config["MAIL_BACKEND"] == "console":
        log.warning("E-mail (console backend) to %s: %s\n%s", to, subject, body)
        current_app.extensions.setdefault("mail_outbox", []).append(message)
        return message
    smtp_cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(str(exc)) from exc
    return message
