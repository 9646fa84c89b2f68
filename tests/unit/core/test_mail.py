"""One way to mail (core/mail.py): queued after the commit, sent by the task through a real
SMTP server on loopback; a server that cannot be reached is retried, a refusal is final."""
from __future__ import annotations

import smtplib

import pytest

from core import mail
from core.extensions import db
from tests.support.smtp import Mailbox, smtp_server


class RefusingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 No such user"


@pytest.fixture
def smtp_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    return app


def test_queued_mail_leaves_after_the_commit_and_never_after_a_rollback(smtp_app, monkeypatch):
    with smtp_server() as box, smtp_app.app_context():
        monkeypatch.setitem(smtp_app.config, "MAIL_PORT", box.port)
        mail.queue_mail("kept@test.ru", "Тема", "Текст")
        assert box.messages == []  # not before the commit
        db.session.commit()
        mail.queue_mail("dropped@test.ru", "Тема", "Текст")
        db.session.rollback()
        db.session.commit()
        message = box.only("kept@test.ru")
        assert message["Subject"] == "Тема" and message.get_content().strip() == "Текст"


def test_a_recipient_refused_for_good_is_dropped_not_retried(smtp_app, monkeypatch):
    with smtp_server(RefusingMailbox()) as box, smtp_app.app_context():
        monkeypatch.setitem(smtp_app.config, "MAIL_PORT", box.port)
        result = mail.send.apply(args=("nobody@test.ru", "Тема", "Текст"))
        assert result.successful() and result.result is False and box.messages == []


def test_an_unreachable_server_is_left_to_the_retry(smtp_app, monkeypatch):
    with smtp_server() as box:
        port = box.port
    monkeypatch.setitem(smtp_app.config, "MAIL_PORT", port)  # nothing listens there any more
    with smtp_app.app_context():
        with pytest.raises(ConnectionRefusedError):
            mail.send.run("someone@test.ru", "Тема", "Текст")
    assert OSError in mail.send.autoretry_for  # Celery retries it, with backoff


@pytest.mark.parametrize(("error", "transient"), [
    (ConnectionRefusedError(111, "refused"), True),
    (smtplib.SMTPServerDisconnected("gone"), True),
    (smtplib.SMTPResponseException(451, b"try later"), True),
    (smtplib.SMTPResponseException(554, b"rejected"), False),
    (smtplib.SMTPRecipientsRefused({"a@test.ru": (550, b"no such user")}), False),
    (smtplib.SMTPRecipientsRefused({"a@test.ru": (452, b"mailbox full")}), True),
])
def test_transient_failures_are_told_from_final_ones(error, transient):
    assert mail.is_transient(error) is transient


def test_a_malformed_header_is_never_sent(app):
    with app.app_context():
        assert mail.send.apply(args=("a@test.ru\r\nBcc: x@test.ru", "Тема", "Текст")).result is False
