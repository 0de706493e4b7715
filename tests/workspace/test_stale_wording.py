"""«Not updated» says how long it has been, on Min side and in the admin's status form, and
says nothing of a measure that is completed or stopped, or whose programme has ended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from measures.models import Measure, Programme
from measures.status import Status
from tests.conftest import plain

pytestmark = pytest.mark.django_db


def updated_days_ago(measure: Measure, days: int, status: str = Status.ON_TRACK) -> None:
    Measure.objects.filter(pk=measure.pk).update(
        last_status_update_at=timezone.now() - dt.timedelta(days=days),
        status=status,
        progress=100 if status == Status.COMPLETED else 30,
        forecast_end=None,
    )


def test_min_side_says_how_long_ago(client_for, own_measure):
    updated_days_ago(own_measure, 4 * 365 + 10)

    text = plain(client_for("owner").get("/min-side/").content.decode())

    assert "Sist oppdatert for 4 år siden" in text
    assert "dager)" not in text


def test_min_side_respects_the_setting(client_for, own_measure):
    updated_days_ago(own_measure, 40)
    client = client_for("owner")

    assert "Sist oppdatert for 40 dager siden" not in plain(
        client.get("/min-side/").content.decode()
    )
    with override_settings(STALE_DAYS=30):
        text = plain(client.get("/min-side/").content.decode())
    assert "Sist oppdatert for 40 dager siden" in text


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.STOPPED])
def test_min_side_never_flags_a_finished_measure(client_for, own_measure, status):
    updated_days_ago(own_measure, 1000, status)

    assert "siden (" not in plain(client_for("owner").get("/min-side/").content.decode())


def test_min_side_flags_nothing_after_the_programme_ended(client_for, own_measure):
    updated_days_ago(own_measure, 1000)
    programme = own_measure.focus_area.programme
    Programme.objects.filter(pk=programme.pk).update(
        start=dt.date(2018, 11, 1), end=timezone.localdate() - dt.timedelta(days=1)
    )

    assert "Sist oppdatert for" not in plain(client_for("owner").get("/min-side/").content.decode())


def test_the_admin_status_form_says_how_long_ago(client_for, own_measure):
    updated_days_ago(own_measure, 95)

    response = client_for("leader").get(f"/admin/measures/measure/{own_measure.pk}/status/")

    assert response.status_code == 200
    text = plain(response.content.decode())
    assert "Tiltaket ble sist oppdatert for 95 dager siden. Statusen kan være utdatert." in text
    assert "over 90 dager" not in text
