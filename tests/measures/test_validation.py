"""The consistency rules: a status that contradicts the measure's dates or progress is refused, by
the service and by the form alike, with a message that names the values and suggests a status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from measures.forms import StatusUpdateForm
from measures.models import Measure, StatusUpdate
from measures.services import status_update_create
from measures.status import Status
from measures.validation import (
    consistency_errors,
    measure_consistency_errors,
    status_update_errors,
)
from tests.measures.factories import MeasureFactory

TODAY = dt.date(2026, 11, 29)
PLANNED_START = dt.date(2019, 1, 1)
PLANNED_END = dt.date(2021, 6, 30)


def errors(**overrides: object) -> dict[str, list[str]]:
    values: dict[str, object] = {
        "status": Status.ON_TRACK,
        "progress": 40,
        "forecast_end": PLANNED_END,
        "planned_start": PLANNED_START,
        "planned_end": PLANNED_END,
        "today": TODAY,
    } | overrides
    return consistency_errors(**values)  # type: ignore[arg-type]


# The four rules, each on its own -----------------------------------------------------------------


def test_on_plan_with_an_expected_end_after_the_planned_end_is_refused():
    found = errors(status=Status.ON_TRACK, forecast_end=dt.date(2027, 5, 31))

    assert found == {
        "status": [
            "Forventet slutt 31.05.2027 er etter planlagt slutt 30.06.2021. Velg «Forsinket», "
            "eller sett forventet slutt til 30.06.2021 eller tidligere."
        ]
    }


@pytest.mark.parametrize("status", [Status.DELAYED, Status.STOPPED])
def test_a_late_expected_end_is_fine_when_the_status_says_so(status):
    assert errors(status=status, forecast_end=dt.date(2027, 5, 31)) == {}


def test_on_plan_ending_on_the_planned_end_day_is_fine():
    assert errors(status=Status.ON_TRACK, forecast_end=PLANNED_END) == {}


def test_not_started_with_progress_is_refused():
    found = errors(status=Status.NOT_STARTED, progress=30)

    assert found == {
        "status": [
            "Framdriften er 30 %, men statusen er «Ikke startet». Velg «Under arbeid etter plan» "
            "eller «Forsinket», eller sett framdriften til 0 %."
        ]
    }


def test_not_started_without_progress_is_fine():
    assert errors(status=Status.NOT_STARTED, progress=0) == {}


def test_completed_with_an_expected_end_in_the_future_is_refused():
    found = errors(status=Status.COMPLETED, progress=100, forecast_end=dt.date(2027, 1, 15))

    assert found == {
        "forecast_end": [
            "Forventet slutt 15.01.2027 er fram i tid, men statusen er «Gjennomført». Sett "
            "forventet slutt til datoen tiltaket ble ferdig (29.11.2026 eller tidligere), eller "
            "velg «Under arbeid etter plan» om det ikke er ferdig ennå."
        ]
    }


def test_completed_today_is_fine():
    assert errors(status=Status.COMPLETED, progress=100, forecast_end=TODAY) == {}


def test_an_expected_end_before_the_planned_start_is_refused():
    found = errors(status=Status.DELAYED, forecast_end=dt.date(2018, 12, 1))

    assert found == {
        "forecast_end": [
            "Forventet slutt 01.12.2018 er før planlagt start 01.01.2019. Sett forventet slutt "
            "til 01.01.2019 eller senere."
        ]
    }


def test_missing_dates_break_no_rule():
    for status in Status:
        progress = 100 if status == Status.COMPLETED else 0
        assert errors(status=status, progress=progress, forecast_end=None) == {}
        assert (
            errors(
                status=status,
                progress=progress,
                forecast_end=dt.date(2030, 1, 1) if status != Status.COMPLETED else TODAY,
                planned_start=None,
                planned_end=None,
            )
            == {}
        )


def test_two_rules_broken_at_once_give_two_messages():
    found = errors(status=Status.ON_TRACK, forecast_end=dt.date(2018, 1, 1), planned_end=None)
    assert list(found) == ["forecast_end"]

    found = errors(status=Status.NOT_STARTED, progress=10, forecast_end=dt.date(2018, 1, 1))
    assert set(found) == {"status", "forecast_end"}


# The same rules in the status update's rule, the service and the form ----------------------------


def _measure(**kwargs: object) -> Measure:
    """An unsaved measure: the rule functions read nothing from the database."""
    values: dict[str, object] = {
        "status": Status.ON_TRACK,
        "progress": 40,
        "planned_start": PLANNED_START,
        "planned_end": PLANNED_END,
    }
    return Measure(**(values | kwargs))


def test_status_update_errors_uses_the_expected_end_it_is_given():
    measure = _measure(forecast_end=PLANNED_END)

    found = status_update_errors(
        measure=measure,
        status=Status.ON_TRACK,
        progress=50,
        comment="",
        date=TODAY,
        latest_date=None,
        today=TODAY,
        forecast_end=dt.date(2027, 5, 31),
    )

    assert "Velg «Forsinket»" in found["status"][0]


def test_status_update_errors_checks_consistency_beside_a_progress_error():
    measure = _measure(forecast_end=PLANNED_END)

    found = status_update_errors(
        measure=measure,
        status=Status.COMPLETED,
        progress=90,
        comment="",
        date=TODAY,
        latest_date=None,
        today=TODAY,
        forecast_end=dt.date(2027, 1, 1),
    )

    assert found["progress"] == ["Et gjennomført tiltak har 100 % framdrift."]
    assert "fram i tid" in found["forecast_end"][0]


@pytest.mark.django_db
def test_the_service_refuses_on_plan_after_the_planned_end_and_writes_nothing():
    measure = MeasureFactory(
        status=Status.ON_TRACK, progress=40, planned_start=PLANNED_START, planned_end=PLANNED_END
    )

    with pytest.raises(ValidationError) as caught:
        status_update_create(
            measure=measure, status=Status.ON_TRACK, progress=50, forecast_end=dt.date(2027, 5, 31)
        )

    assert (
        "Forventet slutt 31.05.2027 er etter planlagt slutt 30.06.2021"
        in (caught.value.message_dict["status"][0])
    )
    assert not StatusUpdate.objects.exists()
    assert Measure.objects.get(pk=measure.pk).version == measure.version


@pytest.mark.django_db
def test_the_service_checks_the_stored_expected_end_when_none_is_given():
    measure = MeasureFactory(
        status=Status.DELAYED,
        progress=40,
        planned_start=PLANNED_START,
        planned_end=PLANNED_END,
        forecast_end=dt.date(2027, 5, 31),
    )

    with pytest.raises(ValidationError) as caught:
        status_update_create(measure=measure, status=Status.ON_TRACK, progress=50)

    assert "Velg «Forsinket»" in caught.value.message_dict["status"][0]

    # Saying when it now ends (on the plan) makes it consistent.
    update = status_update_create(
        measure=measure, status=Status.ON_TRACK, progress=50, forecast_end=PLANNED_END
    )
    assert update.forecast_end == PLANNED_END


@pytest.mark.django_db
def test_the_form_shows_the_same_message_as_the_service():
    measure = MeasureFactory(
        status=Status.ON_TRACK, progress=40, planned_start=PLANNED_START, planned_end=PLANNED_END
    )
    data = {
        "status": Status.ON_TRACK,
        "progress": "50",
        "date": timezone.localdate().isoformat(),
        "comment": "",
        "forecast_end": "2027-05-31",
        "expected_version": str(measure.version),
    }
    form = StatusUpdateForm(data, measure=measure)

    assert not form.is_valid()
    with pytest.raises(ValidationError) as caught:
        status_update_create(
            measure=measure, status=Status.ON_TRACK, progress=50, forecast_end=dt.date(2027, 5, 31)
        )
    assert form.errors["status"] == caught.value.message_dict["status"]


@pytest.mark.django_db
def test_the_form_checks_the_stored_expected_end_when_the_field_is_blank():
    measure = MeasureFactory(
        status=Status.ON_TRACK,
        progress=40,
        planned_start=PLANNED_START,
        planned_end=PLANNED_END,
        forecast_end=dt.date(2030, 1, 1),
    )
    form = StatusUpdateForm(
        {
            "status": Status.COMPLETED,
            "progress": "100",
            "date": timezone.localdate().isoformat(),
            "forecast_end": "",
            "expected_version": str(measure.version),
        },
        measure=measure,
    )

    assert not form.is_valid()
    assert "Forventet slutt 01.01.2030 er fram i tid" in form.errors["forecast_end"][0]


# A measure as it is stored ----------------------------------------------------------------------


def test_a_stored_measure_is_checked_by_the_same_rules():
    late = _measure(forecast_end=dt.date(2027, 5, 31))
    fine = _measure(forecast_end=PLANNED_END)
    idle = _measure(status=Status.NOT_STARTED, progress=20)

    assert measure_consistency_errors(late, today=TODAY) == errors(
        forecast_end=dt.date(2027, 5, 31)
    )
    assert measure_consistency_errors(fine, today=TODAY) == {}
    assert "Framdriften er 20 %" in measure_consistency_errors(idle, today=TODAY)["status"][0]
