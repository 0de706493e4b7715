"""`status_update_create`: the one way a measure's status changes."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from measures.models import IndicatorValue, Measure, StatusUpdate
from measures.services import (
    MeasureConflictError,
    indicator_value_create,
    measure_description_update,
    status_update_create,
)
from measures.status import ALLOWED_TRANSITIONS, Status
from tests.measures.factories import IndicatorFactory, MeasureFactory
from tests.teams.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC

# The specification, written out independently of measures.status: a completed measure is never
# reopened, and nothing goes back to "not started" once work has begun.
REFUSED = {
    (Status.COMPLETED, Status.NOT_STARTED),
    (Status.COMPLETED, Status.ON_TRACK),
    (Status.COMPLETED, Status.DELAYED),
    (Status.COMPLETED, Status.COMPLETED),
    (Status.COMPLETED, Status.STOPPED),
    (Status.ON_TRACK, Status.NOT_STARTED),
    (Status.DELAYED, Status.NOT_STARTED),
    (Status.STOPPED, Status.NOT_STARTED),
}
ALL_PAIRS = list(itertools.product(Status, Status))


def progress_for(status: Status, *, under_way: int) -> int:
    """A progress that agrees with the status: 100 when completed, 0 when not started."""
    return {Status.COMPLETED: 100, Status.NOT_STARTED: 0}.get(status, under_way)


def measure_in(status: Status, **kwargs: Any) -> Measure:
    return MeasureFactory(status=status, progress=progress_for(status, under_way=40), **kwargs)


def snapshot(measure: Measure) -> tuple[object, ...]:
    """What a failed call must leave untouched."""
    row = Measure.objects.get(pk=measure.pk)
    return (
        row.status,
        row.progress,
        row.forecast_end,
        row.last_status_update_at,
        row.version,
        StatusUpdate.objects.filter(measure=measure).count(),
    )


def valid_kwargs(**overrides: Any) -> dict[str, Any]:
    return {"status": Status.ON_TRACK, "progress": 60, "comment": "Godt i gang."} | overrides


# Recording an update ----------------------------------------------------------------------------


def test_records_status_update_with_author_from_linked_person():
    user = UserFactory(first_name="Brukernavn", last_name="Ikke-dette")
    PersonFactory(user=user, name="Kari Nordmann")
    measure = measure_in(Status.NOT_STARTED)

    update = status_update_create(
        measure=measure,
        status=Status.ON_TRACK,
        progress=30,
        comment="  Første samling er holdt.  ",
        date=dt.date(2024, 6, 1),
        forecast_end=dt.date(2025, 11, 30),
        author=user,
    )

    update.refresh_from_db()
    assert update.measure == measure
    assert update.date == dt.date(2024, 6, 1)
    assert update.previous_status == Status.NOT_STARTED
    assert update.status == Status.ON_TRACK
    assert update.progress == 30
    assert update.forecast_end == dt.date(2025, 11, 30)
    assert update.comment == "Første samling er holdt."
    assert update.author == user
    assert update.author_name == "Kari Nordmann"


@pytest.mark.parametrize(
    ("make_author", "author_name", "expected_name", "author_kept"),
    [
        (lambda: UserFactory(first_name="Ola", last_name="Nordmann"), "", "Ola Nordmann", True),
        (lambda: UserFactory(username="prosjektleder"), "", "prosjektleder", True),
        (lambda: None, "", "", False),
        (AnonymousUser, "", "", False),
        (lambda: UserFactory(first_name="Ola"), "Styringsgruppa", "Styringsgruppa", True),
    ],
    ids=["full name", "username", "no author", "anonymous", "explicit name wins"],
)
def test_author_name(make_author, author_name, expected_name, author_kept):
    author = make_author()
    measure = measure_in(Status.NOT_STARTED)

    update = status_update_create(
        measure=measure, **valid_kwargs(), author=author, author_name=author_name
    )

    assert update.author_name == expected_name
    assert update.author == (author if author_kept else None)


def test_updates_the_measure():
    measure = measure_in(Status.ON_TRACK, forecast_end=dt.date(2025, 6, 30))
    before = Measure.objects.get(pk=measure.pk).updated_at

    update = status_update_create(
        measure=measure,
        status=Status.DELAYED,
        progress=55,
        comment="Leverandøren er forsinket.",
        date=dt.date(2024, 6, 1),
        forecast_end=dt.date(2026, 3, 31),
    )

    row = Measure.objects.get(pk=measure.pk)
    assert row.status == Status.DELAYED
    assert row.progress == 55
    assert row.forecast_end == dt.date(2026, 3, 31)
    assert row.last_status_update_at is not None
    assert row.version == 2
    assert row.updated_at > before
    assert update.previous_status == Status.ON_TRACK
    # The caller's instance is refreshed, too.
    assert (measure.status, measure.progress, measure.version) == (Status.DELAYED, 55, 2)


def test_keeps_forecast_end_when_none_given():
    measure = measure_in(Status.ON_TRACK, forecast_end=dt.date(2025, 6, 30))

    update = status_update_create(measure=measure, **valid_kwargs())

    assert update.forecast_end == dt.date(2025, 6, 30)
    assert Measure.objects.get(pk=measure.pk).forecast_end == dt.date(2025, 6, 30)


def test_defaults_to_today():
    measure = measure_in(Status.NOT_STARTED)

    update = status_update_create(measure=measure, **valid_kwargs())

    assert update.date == timezone.localdate()


def test_each_update_bumps_version():
    measure = measure_in(Status.NOT_STARTED)

    for progress in (10, 20, 30):
        status_update_create(measure=measure, **valid_kwargs(progress=progress))

    assert Measure.objects.get(pk=measure.pk).version == 4
    assert measure.status_updates.count() == 3


def test_timeline_is_newest_first():
    measure = measure_in(Status.NOT_STARTED)
    first = status_update_create(
        measure=measure, **valid_kwargs(progress=10), date=dt.date(2024, 3, 1)
    )
    second = status_update_create(
        measure=measure, **valid_kwargs(progress=20), date=dt.date(2024, 6, 1)
    )
    third = status_update_create(
        measure=measure, **valid_kwargs(progress=30), date=dt.date(2024, 6, 1)
    )

    assert list(measure.status_updates.all()) == [third, second, first]
    assert measure.status_updates.latest() == third
    assert [u.previous_status for u in (first, second, third)] == [
        Status.NOT_STARTED,
        Status.ON_TRACK,
        Status.ON_TRACK,
    ]


# Transitions ------------------------------------------------------------------------------------


def test_specification_matches_the_vocabulary():
    allowed = {(old, new) for old, news in ALLOWED_TRANSITIONS.items() for new in news}

    assert allowed == set(ALL_PAIRS) - REFUSED
    assert len(allowed) == 17


@pytest.mark.parametrize(
    ("old", "new"),
    [pair for pair in ALL_PAIRS if pair not in REFUSED],
    ids=lambda s: s.value,
)
def test_allowed_transition(old, new):
    measure = measure_in(old)
    progress = progress_for(new, under_way=60)

    update = status_update_create(
        measure=measure, status=new, progress=progress, comment="Begrunnelse."
    )

    assert (update.previous_status, update.status) == (old, new)
    row = Measure.objects.get(pk=measure.pk)
    assert (row.status, row.progress, row.version) == (new, progress, 2)


@pytest.mark.parametrize(("old", "new"), sorted(REFUSED), ids=lambda s: s.value)
def test_refused_transition_writes_nothing(old, new):
    measure = measure_in(old)
    before = snapshot(measure)
    progress = progress_for(new, under_way=60)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(measure=measure, status=new, progress=progress, comment="Prøver.")

    assert list(excinfo.value.message_dict) == ["status"]
    assert "kan ikke gå fra" in excinfo.value.message_dict["status"][0]
    assert snapshot(measure) == before


def test_transition_is_checked_against_the_database_not_the_callers_copy():
    measure = measure_in(Status.ON_TRACK)
    Measure.objects.filter(pk=measure.pk).update(status=Status.COMPLETED, progress=100)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(measure=measure, **valid_kwargs())

    assert "status" in excinfo.value.message_dict
    assert not StatusUpdate.objects.exists()


def test_unknown_status_is_refused():
    measure = measure_in(Status.NOT_STARTED)
    before = snapshot(measure)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(measure=measure, **valid_kwargs(status="ukjent"))

    assert "status" in excinfo.value.message_dict
    assert snapshot(measure) == before


# Other rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DELAYED, Status.STOPPED])
@pytest.mark.parametrize("comment", ["", "   \n"], ids=["empty", "blank"])
def test_comment_required_when_delayed_or_stopped(status, comment):
    measure = measure_in(Status.ON_TRACK)
    before = snapshot(measure)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(measure=measure, status=status, progress=50, comment=comment)

    assert list(excinfo.value.message_dict) == ["comment"]
    assert snapshot(measure) == before


@pytest.mark.parametrize("status", [Status.ON_TRACK, Status.COMPLETED, Status.NOT_STARTED])
def test_comment_optional_otherwise(status):
    measure = measure_in(Status.NOT_STARTED)
    progress = 100 if status == Status.COMPLETED else 0

    update = status_update_create(measure=measure, status=status, progress=progress, comment="")

    assert update.comment == ""


@pytest.mark.parametrize("progress", [0, 50, 99])
def test_completed_requires_full_progress(progress):
    measure = measure_in(Status.ON_TRACK)
    before = snapshot(measure)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(measure=measure, status=Status.COMPLETED, progress=progress)

    assert list(excinfo.value.message_dict) == ["progress"]
    assert snapshot(measure) == before


@pytest.mark.parametrize("progress", [-1, 101, 1000])
def test_progress_out_of_range_is_refused(progress):
    measure = measure_in(Status.ON_TRACK)
    before = snapshot(measure)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(measure=measure, **valid_kwargs(progress=progress))

    assert excinfo.value.message_dict["progress"] == ["Framdriften må være mellom 0 og 100 %."]
    assert snapshot(measure) == before


@pytest.mark.parametrize("progress", [0, 100])
def test_progress_bounds_are_accepted(progress):
    measure = measure_in(Status.ON_TRACK)

    update = status_update_create(measure=measure, **valid_kwargs(progress=progress))

    assert update.progress == progress


def test_date_in_the_future_is_refused():
    measure = measure_in(Status.NOT_STARTED)
    before = snapshot(measure)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(measure=measure, **valid_kwargs(), date=tomorrow)

    assert list(excinfo.value.message_dict) == ["date"]
    assert snapshot(measure) == before


def test_date_before_latest_update_is_refused():
    measure = measure_in(Status.NOT_STARTED)
    status_update_create(measure=measure, **valid_kwargs(progress=10), date=dt.date(2024, 6, 1))
    before = snapshot(measure)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(
            measure=measure, **valid_kwargs(progress=20), date=dt.date(2024, 5, 31)
        )

    assert excinfo.value.message_dict["date"] == [
        "Datoen kan ikke være før siste statusoppdatering (01.06.2024)."
    ]
    assert snapshot(measure) == before


def test_date_equal_to_latest_update_is_accepted():
    measure = measure_in(Status.NOT_STARTED)
    status_update_create(measure=measure, **valid_kwargs(progress=10), date=dt.date(2024, 6, 1))

    update = status_update_create(
        measure=measure, **valid_kwargs(progress=20), date=dt.date(2024, 6, 1)
    )

    assert update.date == dt.date(2024, 6, 1)
    assert measure.status_updates.count() == 2


def test_reports_every_broken_rule_at_once():
    measure = measure_in(Status.ON_TRACK)

    with pytest.raises(ValidationError) as excinfo:
        status_update_create(
            measure=measure,
            status=Status.DELAYED,
            progress=101,
            comment="",
            date=timezone.localdate() + dt.timedelta(days=1),
        )

    assert set(excinfo.value.message_dict) == {"progress", "comment", "date"}


# Optimistic locking -----------------------------------------------------------------------------


def test_matching_expected_version_is_accepted():
    measure = measure_in(Status.NOT_STARTED)

    status_update_create(measure=measure, **valid_kwargs(), expected_version=1)

    assert Measure.objects.get(pk=measure.pk).version == 2


def test_stale_expected_version_writes_nothing():
    measure = measure_in(Status.NOT_STARTED, title="Bredbånd i distriktet")
    opened_at_version = measure.version
    status_update_create(measure=measure, **valid_kwargs(progress=10))  # someone else
    before = snapshot(measure)

    with pytest.raises(MeasureConflictError) as excinfo:
        status_update_create(
            measure=measure, **valid_kwargs(progress=20), expected_version=opened_at_version
        )

    assert isinstance(excinfo.value, ValidationError)
    assert excinfo.value.code == "stale_version"
    assert excinfo.value.expected_version == 1
    assert "Bredbånd i distriktet" in excinfo.value.message
    assert snapshot(measure) == before


# Atomicity --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_failure_after_the_status_update_is_written_rolls_everything_back(monkeypatch):
    measure = measure_in(Status.ON_TRACK)
    before = snapshot(measure)

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("the connection went away")

    monkeypatch.setattr(Measure, "save", broken_save)

    with pytest.raises(DatabaseError):
        status_update_create(measure=measure, **valid_kwargs())

    monkeypatch.undo()
    assert snapshot(measure) == before
    assert not StatusUpdate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_failure_while_writing_the_status_update_leaves_the_measure(monkeypatch):
    measure = measure_in(Status.ON_TRACK)
    before = snapshot(measure)

    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(StatusUpdate.objects, "create", broken_create)

    with pytest.raises(DatabaseError):
        status_update_create(measure=measure, **valid_kwargs())

    monkeypatch.undo()
    assert snapshot(measure) == before


# Time zone --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected_utc"),
    [
        # Midday in Oslo: 10:00 UTC in summer time, 11:00 UTC in winter.
        (dt.date(2024, 6, 1), dt.datetime(2024, 6, 1, 10, tzinfo=UTC)),
        (dt.date(2024, 1, 15), dt.datetime(2024, 1, 15, 11, tzinfo=UTC)),
    ],
)
def test_backdated_update_lands_on_its_date_in_oslo(date, expected_utc):
    measure = measure_in(Status.NOT_STARTED)

    status_update_create(measure=measure, **valid_kwargs(), date=date)

    moment = Measure.objects.get(pk=measure.pk).last_status_update_at
    assert moment == expected_utc
    assert timezone.localdate(moment) == date


def test_update_dated_today_is_stamped_now():
    measure = measure_in(Status.NOT_STARTED)
    start = timezone.now()

    status_update_create(measure=measure, **valid_kwargs())

    moment = Measure.objects.get(pk=measure.pk).last_status_update_at
    assert moment is not None
    assert start <= moment <= timezone.now()
    assert timezone.localdate(moment) == timezone.localdate()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["publish", "archive"])
def test_bulk_actions_lock_measures_in_primary_key_order(action):
    """Two bulk actions on overlapping measures then wait for each other instead of deadlocking."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures.services import measure_archive, measure_set_published

    measures = [MeasureFactory(is_published=False) for _ in range(3)]
    with CaptureQueriesContext(connection) as queries:
        if action == "publish":
            changed = measure_set_published(measures=reversed(measures), published=True)
        else:
            changed = measure_archive(measures=reversed(measures))

    assert changed == 3
    (locking,) = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and '"measures_measure"."id" IN (' in q["sql"]
    ]
    assert locking.rstrip().split("ORDER BY", 1)[1].split()[0] == '"measures_measure"."id"'
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in locking


# The description, edited by its owner ----------------------------------------------------------


def test_description_update_saves_with_history_and_a_reason():
    user = UserFactory()
    measure = MeasureFactory(description="Gammel tekst.")

    changed = measure_description_update(
        measure=measure,
        description="Ny tekst med **Markdown**.\r\n\r\nTo avsnitt.",
        expected_version=measure.version,
        user=user,
    )

    row = Measure.objects.get(pk=measure.pk)
    assert changed is True
    assert row.description == "Ny tekst med **Markdown**.\n\nTo avsnitt."
    assert row.version == 2
    assert measure.version == 2  # the caller's instance is refreshed
    record = row.history.order_by("-history_date", "-history_id").first()
    assert record is not None
    assert (record.history_user, record.history_change_reason) == (user, "Beskrivelsen er endret")


def test_an_unchanged_description_writes_nothing():
    measure = MeasureFactory(description="Samme tekst.")
    history = measure.history.count()

    changed = measure_description_update(
        measure=measure, description="  Samme tekst.\r\n", expected_version=measure.version
    )

    assert changed is False
    assert Measure.objects.get(pk=measure.pk).version == 1
    assert measure.history.count() == history


def test_a_stale_description_edit_writes_nothing():
    measure = MeasureFactory(description="Gammel tekst.")
    status_update_create(measure=measure, **valid_kwargs())  # someone else saved meanwhile
    before = snapshot(measure)

    with pytest.raises(MeasureConflictError) as caught:
        measure_description_update(measure=measure, description="Min tekst.", expected_version=1)

    assert caught.value.expected_version == 1
    assert [change.version for change in caught.value.changes] == [2]
    assert snapshot(measure) == before
    assert Measure.objects.get(pk=measure.pk).description == "Gammel tekst."


# Indicator values ---------------------------------------------------------------------------------


def test_an_indicator_value_is_recorded_with_history():
    user = UserFactory()
    indicator = IndicatorFactory()

    value = indicator_value_create(
        indicator=indicator,
        date=dt.date(2025, 3, 1),
        value=Decimal("12.5"),
        note="  Fra registeret.  ",
        user=user,
    )

    value.refresh_from_db()
    assert (value.value, value.note) == (Decimal("12.50"), "Fra registeret.")
    assert value.history.get().history_user == user


def test_a_second_value_the_same_date_is_a_clear_error_not_a_crash():
    indicator = IndicatorFactory()
    indicator_value_create(indicator=indicator, date=dt.date(2025, 3, 1), value=Decimal("12"))

    with pytest.raises(ValidationError) as caught:
        indicator_value_create(indicator=indicator, date=dt.date(2025, 3, 1), value=Decimal("13"))

    assert caught.value.message_dict["date"] == [
        "Indikatoren har alt verdien 12 for 01.03.2025. Velg en annen dato; er den registrerte "
        "verdien feil, kan prosjektlederen rette den."
    ]
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("12")]


def test_a_value_dated_in_the_future_is_refused():
    with pytest.raises(ValidationError) as caught:
        indicator_value_create(
            indicator=IndicatorFactory(),
            date=timezone.localdate() + dt.timedelta(days=1),
            value=Decimal("1"),
        )

    assert caught.value.message_dict["date"] == ["Datoen kan ikke være fram i tid."]
    assert not IndicatorValue.objects.exists()


def test_a_value_too_large_for_its_field_is_refused():
    with pytest.raises(ValidationError) as caught:
        indicator_value_create(
            indicator=IndicatorFactory(), date=dt.date(2025, 1, 1), value=Decimal("1" * 15)
        )

    assert "value" in caught.value.message_dict
    assert not IndicatorValue.objects.exists()
