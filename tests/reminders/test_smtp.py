"""One reminder through Django's SMTP backend to a real SMTP server (aiosmtpd) on a free port of
this machine, logging in with the user and password of an EMAIL_URL, and what arrives there."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from drivkraft.core.email import mailer_from_url
from reminders.mail import pause_url
from reminders.models import ReminderSent
from reminders.services import reminders_send

from .conftest import NOW, TODAY

USERNAME = "drivkraft@example.org"
PASSWORD = "hemmelig:passord"  # noqa: S105 - the test server's own


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Inbox:
    """What the server received: each message with its envelope, and the logins it accepted."""

    messages: list[tuple[Envelope, EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((envelope, message))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and (data.login, data.password) == (
            USERNAME.encode(),
            PASSWORD.encode(),
        ):
            self.logins.append(data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server for the test; MAILERS points at it through an EMAIL_URL."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,  # only on the loopback, for this test
    )
    controller.start()
    user = USERNAME.replace("@", "%40")
    password = PASSWORD.replace(":", "%3A")
    url = f"smtp://{user}:{password}@127.0.0.1:{port}"
    settings.MAILERS = {"default": mailer_from_url(url, timeout=10)}
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_reminder_arrives_through_a_real_smtp_server(smtp_server, stale_measure, owner):
    result = reminders_send(today=TODAY, now=NOW)

    assert result.sent == ["kari@example.org"]
    assert smtp_server.logins == [USERNAME]
    [(envelope, message)] = smtp_server.messages
    assert envelope.mail_from == "ikke-svar@drivkraft.example.no"
    assert envelope.rcpt_tos == ["kari@example.org"]

    assert message["From"] == "Program Drivkraft <ikke-svar@drivkraft.example.no>"
    assert message["To"] == "kari@example.org"
    assert message["Subject"] == "Påminnelse fra Program Drivkraft: 1 tiltak trenger deg"
    link = pause_url(owner)
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"]
    assert message["Date"]

    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    status_url = "https://drivkraft.example.no/min-side/tiltak/laerlingloftet/status/"
    plain = text.get_content()
    assert "Lærlingløftet" in plain
    assert f"Oppdater status: {status_url}" in plain
    assert link in plain
    markup = html.get_content()
    assert f'href="{status_url}"' in markup
    assert f'href="{link}"' in markup
    assert "Sist oppdatert 17.12.2025, for 75 dager siden." in markup

    assert ReminderSent.objects.get().email == "kari@example.org"


def test_a_refused_login_is_logged_and_tried_again(smtp_server, stale_measure, settings, caplog):
    options = settings.MAILERS["default"]["OPTIONS"]
    settings.MAILERS = {
        "default": {**settings.MAILERS["default"], "OPTIONS": options | {"password": "feil"}}
    }

    result = reminders_send(today=TODAY, now=NOW)

    assert result.failed == ["kari@example.org"]
    assert smtp_server.messages == []
    assert ReminderSent.objects.count() == 0
    assert "could not be sent" in caplog.text

    settings.MAILERS = {"default": {**settings.MAILERS["default"], "OPTIONS": options}}
    assert reminders_send(today=TODAY, now=NOW).sent == ["kari@example.org"]
    assert len(smtp_server.messages) == 1


def test_a_mail_server_that_is_down_breaks_nothing(settings, stale_measure):
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{free_port()}", timeout=2)}
    result = reminders_send(today=TODAY, now=NOW)
    assert result.failed == ["kari@example.org"]
    assert ReminderSent.objects.count() == 0
