"""A real SMTP server for tests (aiosmtpd on a free localhost port) that keeps what arrives."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

import pytest


class Inbox:
    """What the server received; ``refuse`` makes it answer 550 to every message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            return "550 Mailbox unavailable"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    """A running SMTP server and its inbox: (inbox, port)."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()
