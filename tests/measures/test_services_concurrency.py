"""`status_update_create` under real concurrency: 20 updates to one measure at the same moment;
and `indicator_value_create`: 20 values for one indicator and date.

PostgreSQL only (CI's PostgreSQL pass runs it): each thread has its own connection, and the row lock
taken by the service is what is being tested. SQLite's shared in-memory test database answers a
second writer «locked» instead of queueing it, as the two-thread test in test_conflicts.py notes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from measures.models import IndicatorValue, Measure, StatusUpdate
from measures.services import MeasureConflictError, indicator_value_create, status_update_create
from measures.status import Status
from tests.measures.factories import IndicatorFactory, MeasureFactory

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 20


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database answers a second writer «locked»")


def status_of(n: int) -> Status:
    # Alternating, so that a lost or reordered update shows in the previous_status chain.
    return Status.DELAYED if n % 2 else Status.ON_TRACK


def run_at_once(work: Callable[[int], str]) -> dict[int, str]:
    """Run `work(n)` for n in 0..WRITERS-1, each in its own thread and database connection,
    released together by a barrier. Returns each writer's outcome (an exception as its repr)."""
    barrier = threading.Barrier(WRITERS)
    outcomes: dict[int, str] = {}

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[n] = work(n)
        except Exception as error:  # reported by the caller's assertion
            outcomes[n] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs (deadlock?)"
    return outcomes


def assert_recorded_in_order(measure: Measure, start_version: int) -> list[StatusUpdate]:
    """All WRITERS updates are on the timeline, in the order they were applied, each the
    measure's version in turn, and the measure shows the last one."""
    timeline = list(measure.status_updates.order_by("created_at", "id"))
    assert len(timeline) == WRITERS
    assert sorted(update.comment for update in timeline) == sorted(
        f"Skriver {n}" for n in range(WRITERS)
    )
    # The timeline's order (date, time, id) is the order in which the updates were applied:
    # each one starts from the status the one before left.
    assert [u.previous_status for u in timeline] == [
        Status.NOT_STARTED,
        *[u.status for u in timeline[:-1]],
    ]
    newest_first = list(measure.status_updates.all())  # the model's own timeline ordering
    assert newest_first == timeline[::-1]

    # One history row per update, versions strictly increasing without a gap, each holding what
    # its update set: no update was lost or overwritten by another.
    history = list(
        measure.history.filter(version__gt=start_version).order_by("history_date", "history_id")
    )
    assert [h.version for h in history] == list(
        range(start_version + 1, start_version + WRITERS + 1)
    )
    assert [(h.status, h.progress) for h in history] == [(u.status, u.progress) for u in timeline]

    stored = Measure.objects.get(pk=measure.pk)
    last = timeline[-1]
    assert stored.version == start_version + WRITERS
    assert (stored.status, stored.progress) == (last.status, last.progress)
    return timeline


def test_twenty_simultaneous_updates_are_all_recorded_in_order():
    """Updates that carry no version (a scheduled import, say) queue on the row lock: none is
    refused, none is lost, and none sees a deadlock or serialisation error."""
    measure = MeasureFactory()
    start_version = measure.version

    def update(n: int) -> str:
        status_update_create(
            measure=Measure.objects.get(pk=measure.pk),
            status=status_of(n),
            progress=n + 1,
            comment=f"Skriver {n}",
            author_name=f"Skriver {n}",
        )
        return "saved"

    outcomes = run_at_once(update)

    assert outcomes == dict.fromkeys(range(WRITERS), "saved")
    assert_recorded_in_order(measure, start_version)


def test_twenty_users_on_one_version_each_get_their_update_through_by_reloading():
    """Twenty people open the status form at the same version and save at once, as the form
    does (with that version). Exactly one gets through at first; each of the others is refused
    (never a deadlock or a half-written update), reloads and saves again, as the form tells them
    to. In the end all twenty updates are recorded, each exactly once."""
    measure = MeasureFactory()
    start_version = measure.version
    attempts: dict[int, int] = {}
    first_round: dict[int, str] = {}

    def update(n: int) -> str:
        version = start_version  # the version the form was opened at
        for attempt in range(1, WRITERS + 1):
            attempts[n] = attempt
            try:
                status_update_create(
                    measure=Measure.objects.get(pk=measure.pk),
                    status=status_of(n),
                    progress=n + 1,
                    comment=f"Skriver {n}",
                    expected_version=version,
                )
            except MeasureConflictError as conflict:
                first_round.setdefault(n, "refused")
                version = conflict.measure.version  # reload: the form now shows this version
                continue
            first_round.setdefault(n, "saved")
            return "saved"
        return "gave up"

    outcomes = run_at_once(update)

    assert outcomes == dict.fromkeys(range(WRITERS), "saved")
    first = [n for n, outcome in first_round.items() if outcome == "saved"]
    assert len(first) == 1
    # Each writer is refused at most once per writer that got in before it.
    assert all(1 <= count <= WRITERS for count in attempts.values())
    timeline = assert_recorded_in_order(measure, start_version)
    assert timeline[0].comment == f"Skriver {first[0]}"


def test_twenty_values_for_one_indicator_and_date_at_once_give_one_value_and_clear_refusals():
    """Twenty people record a value for the same indicator and date at the same moment: the
    indicator's row lock lets one in; the others get the rule's message, never a server error
    from the unique constraint."""
    indicator = IndicatorFactory()
    on = dt.date(2025, 3, 1)

    def record(n: int) -> str:
        try:
            indicator_value_create(indicator=indicator, date=on, value=Decimal(n))
        except ValidationError as error:
            return "refused" if "Indikatoren har alt verdien" in error.messages[0] else repr(error)
        return "saved"

    outcomes = run_at_once(record)

    assert sorted(outcomes.values()) == ["refused"] * (WRITERS - 1) + ["saved"]
    assert IndicatorValue.objects.filter(indicator=indicator, date=on).count() == 1
