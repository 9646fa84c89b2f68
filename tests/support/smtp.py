"""A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts, parsed."""
from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from tests.support.services import free_port


class Mailbox:
    """aiosmtpd handler: the messages accepted, with their envelope recipients."""

    def __init__(self) -> None:
        self.port: int | None = None
        self._messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self._lock:
            return list(self._messages)

    def only(self, to: str) -> email.message.EmailMessage:
        """The one message received, checked to be addressed to ``to``."""
        messages = self.messages
        assert len(messages) == 1, [m["Subject"] for m in messages]
        assert messages[0]["To"] == to and messages[0]["X-Envelope-To"] == to
        return messages[0]


@contextmanager
def smtp_server(mailbox: Mailbox | None = None) -> Iterator[Mailbox]:
    """A real SMTP server on a free loopback port, handled by ``mailbox`` (a ``Mailbox``, or a
    subclass that answers differently), for the duration of the block."""
    mailbox = mailbox if mailbox is not None else Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
