"""Two runs of `send_reminders` at the same moment (a timer and a queued task, say) send each
reminder once: the check, the send and the record happen under a lock of the user's row.

PostgreSQL only (CI's PostgreSQL pass runs it): each thread has its own connection, and the row
lock is what is being tested; SQLite's shared in-memory test database answers a second writer
«locked» instead of queueing it.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection

from reminders.models import ReminderSent
from reminders.services import reminders_send

from .conftest import NOW, TODAY, days_ago, make_user, running_measure

pytestmark = pytest.mark.django_db(transaction=True)
RUNS = 4


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database answers a second writer «locked»")


def test_runs_at_the_same_moment_send_each_reminder_once(area: Any) -> None:
    from teams.roles import MEASURE_OWNER
    from tests.teams.factories import PersonFactory

    for n in range(3):
        person = PersonFactory()
        person.user = make_user(f"eier{n}", MEASURE_OWNER)
        person.save()
        running_measure(area, person, last_status_update_at=days_ago(90))
    real_send = locmem.EmailBackend.send_messages

    def slow_send(self: locmem.EmailBackend, messages: list[Any]) -> int:
        time.sleep(0.2)  # a mail server takes its time: the other runs arrive meanwhile
        return real_send(self, messages)

    barrier = threading.Barrier(RUNS)
    sent: list[list[str]] = []
    errors: list[str] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            sent.append(reminders_send(today=TODAY, now=NOW).sent)
        except Exception as error:  # reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    with mock.patch.object(locmem.EmailBackend, "send_messages", slow_send):
        threads = [threading.Thread(target=run) for _ in range(RUNS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert sorted(address for run_sent in sent for address in run_sent) == [
        "eier0@example.org",
        "eier1@example.org",
        "eier2@example.org",
    ]
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.count() == 3
