"""Queued mail, delivered in the test process.

``core.mail.queue_mail`` hands every message to the Celery task ``nastavnik.mail.send`` after
the commit. Tests of pages and services have no worker: there the task runs in place when it
is enqueued (``Task.apply``: the real task body, the real console backend or SMTP server),
so ``app.extensions["mail_outbox"]`` holds what a worker would have sent. The worker path
itself is tested in tests/integration/ (a real worker, Redis and a loopback SMTP server)."""
from __future__ import annotations

import pytest


class _SentHere:
    """Stands for the mail task in ``queue_mail``: enqueuing runs the real task in place."""

    def __init__(self, task):
        self.task = task
        self.name = "nastavnik.mail.send"

    def __getattr__(self, name):
        return getattr(self.task, name)

    def apply_async(self, args=(), kwargs=None, **_options):
        return self.task.apply(args=args, kwargs=kwargs or {})


@pytest.fixture
def mail_sent_in_process(monkeypatch):
    from core import mail

    monkeypatch.setattr(mail, "send", _SentHere(mail.send))


class SentMail:
    """What the mail task sent in this test, as (to, subject, body), oldest first."""

    def __init__(self, app):
        self.app = app

    @property
    def sent(self) -> list[tuple[str, str, str]]:
        return [(m["To"], m["Subject"], m.get_content()) for m in self.app.extensions.get("mail_outbox", [])]
