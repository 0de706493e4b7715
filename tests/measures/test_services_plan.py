"""The plan's other writes in measures/services.py: saving an edited measure, publishing,
archiving, importing, what changed since a version; that every service takes keyword arguments
only, picks the measure it was given among several, and writes all or nothing.

With tests/measures/test_services.py this is the test subset of `make mutation` for the services
(tools/mutation/services.toml). The row locks are shown on PostgreSQL at the end.
"""

from __future__ import annotations

import datetime as dt
import inspect
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from measures import services
from measures.importing import ImportRow
from measures.models import FocusArea, IndicatorValue, Measure
from measures.services import (
    MeasureConflictError,
    _display,
    decision_record,
    decision_request,
    indicator_value_create,
    measure_archive,
    measure_changes_since,
    measure_description_update,
    measure_import,
    measure_save,
    measure_set_published,
    milestone_complete,
    milestone_delete,
    milestone_move,
    milestone_save,
    status_update_create,
)
from measures.status import Status
from measures.validation import indicator_value_errors
from tests.measures.factories import FocusAreaFactory, IndicatorFactory, MeasureFactory
from tests.teams.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SERVICES = [
    status_update_create,
    measure_save,
    measure_description_update,
    indicator_value_create,
    measure_set_published,
    measure_archive,
    measure_import,
    measure_changes_since,
    milestone_save,
    milestone_complete,
    milestone_move,
    milestone_delete,
    decision_request,
    decision_record,
]


def stored(measure: Measure) -> Measure:
    return Measure.objects.get(pk=measure.pk)


def reasons(measure: Measure) -> list[str]:
    return [h.history_change_reason or "" for h in measure.history.order_by("history_id")]


@pytest.fixture
def two_measures() -> tuple[Measure, Measure]:
    """The measure a test works on, made after another one, so `.get()` without its key fails
    and a filter that forgot the key would touch both."""
    return MeasureFactory(slug="forste", title="Første"), MeasureFactory(slug="andre")


# Keyword arguments only --------------------------------------------------------------------------


@pytest.mark.parametrize("service", [*SERVICES, MeasureConflictError], ids=lambda s: s.__name__)
def test_every_service_takes_keyword_arguments_only(service: Callable[..., Any]) -> None:
    """A positional call could swap two measures or two dates without a word."""
    # A class's signature is its __init__'s without `self`.
    parameters = list(inspect.signature(service).parameters.values())

    assert parameters
    assert {p.kind for p in parameters} == {inspect.Parameter.KEYWORD_ONLY}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.__name__)
def test_every_service_has_type_hints_that_resolve(service: Callable[..., Any]) -> None:
    """The hints are the services' documented contract; tools that read them at run time (and
    `typing.get_type_hints`) must get real types, not an error. The auth models are imported
    for type checking only."""
    hints = typing.get_type_hints(service, localns={"User": User, "AnonymousUser": AnonymousUser})

    assert "return" in hints
    assert set(hints) - {"return"} == set(inspect.signature(service).parameters)


def test_who_saved_and_why_are_given_by_name():
    parameters = list(inspect.signature(services._save_with_history).parameters.values())

    assert [p.kind for p in parameters] == [
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.KEYWORD_ONLY,
        inspect.Parameter.KEYWORD_ONLY,
    ]


# The measure asked for, among several -----------------------------------------------------------


def test_each_service_writes_the_measure_it_was_given_and_no_other(two_measures):
    first, second = two_measures
    user = UserFactory()

    status_update_create(measure=second, status=Status.ON_TRACK, progress=10)
    measure_description_update(
        measure=second, description="Ny tekst.", expected_version=stored(second).version
    )
    edited = stored(second)
    edited.title = "Endret"
    measure_save(measure=edited, expected_version=edited.version, user=user)
    indicator = IndicatorFactory(measure=second)
    other_indicator = IndicatorFactory(measure=first)
    indicator_value_create(indicator=indicator, date=dt.date(2025, 1, 1), value=Decimal(3))

    assert stored(first).version == 1
    assert (stored(first).status, stored(first).title) == (Status.NOT_STARTED, "Første")
    assert stored(second).version == 4
    assert (stored(second).status, stored(second).description) == (Status.ON_TRACK, "Ny tekst.")
    assert stored(second).title == "Endret"
    assert list(IndicatorValue.objects.values_list("indicator", flat=True)) == [indicator.pk]
    assert not other_indicator.values.exists()


# Saving an edited measure -----------------------------------------------------------------------


def test_a_changed_measure_is_saved_with_a_new_version_and_history(two_measures):
    measure = stored(two_measures[1])
    user = UserFactory(first_name="Sigrid", last_name="Leder")
    measure.title = "Ny tittel"

    saved = measure_save(measure=measure, expected_version=1, user=user, reason="Retting")

    assert saved.version == 2
    assert stored(measure).title == "Ny tittel"
    assert stored(measure).version == 2
    last = measure.history.latest("history_id")
    assert (last.history_user, last.history_change_reason) == (user, "Retting")


def test_an_unchanged_measure_writes_nothing(two_measures):
    measure = stored(two_measures[1])
    history = measure.history.count()

    saved = measure_save(measure=measure, expected_version=1)

    assert saved.version == 1
    assert stored(measure).version == 1
    assert measure.history.count() == history


def test_changed_relations_alone_are_a_change(two_measures):
    measure = stored(two_measures[1])

    saved = measure_save(measure=measure, expected_version=1, relations_changed=True)

    assert saved.version == stored(measure).version == 2


def test_a_stale_save_is_refused_and_writes_nothing(two_measures):
    measure = stored(two_measures[1])
    status_update_create(measure=two_measures[1], status=Status.ON_TRACK, progress=10)
    measure.title = "For sent"

    with pytest.raises(MeasureConflictError) as conflict:
        measure_save(measure=measure, expected_version=1)

    assert conflict.value.expected_version == 1
    assert conflict.value.measure.version == 2
    assert stored(measure).title != "For sent"
    assert stored(measure).version == 2


def test_a_save_without_a_version_is_not_checked(two_measures):
    measure = stored(two_measures[1])
    status_update_create(measure=two_measures[1], status=Status.ON_TRACK, progress=10)
    measure.title = "Uten versjon"

    measure_save(measure=measure, expected_version=None)

    assert stored(measure).title == "Uten versjon"
    # The caller's copy said version 1; the stored one was 2, and the save makes it 3.
    assert stored(measure).version == 3


def test_a_new_measure_is_saved_at_version_one():
    measure = Measure(
        title="Nytt", slug="nytt", summary="Kort.", focus_area=FocusAreaFactory(), version=1
    )

    saved = measure_save(measure=measure, expected_version=None, reason="Opprettet")

    assert saved.pk is not None
    assert stored(saved).version == 1
    assert reasons(saved) == ["Opprettet"]


def test_an_anonymous_save_names_no_user_and_no_empty_reason(two_measures):
    measure = stored(two_measures[1])
    measure.title = "Anonymt"

    measure_save(measure=measure, expected_version=1, user=AnonymousUser())

    last = measure.history.latest("history_id")
    assert last.history_user is None
    assert last.history_change_reason is None


# Publishing and archiving -----------------------------------------------------------------------


def test_publishing_changes_only_the_drafts_once():
    draft = MeasureFactory(is_published=False)
    published = MeasureFactory(is_published=True)
    user = UserFactory()

    assert measure_set_published(measures=[draft, published], published=True, user=user) == 1
    assert measure_set_published(measures=[draft, published], published=True, user=user) == 0

    assert stored(draft).is_published
    assert stored(draft).version == 2  # one publish, not two
    assert reasons(draft) == ["", "Publisert"]
    assert draft.history.latest("history_id").history_user == user
    assert stored(published).version == 1
    assert reasons(published) == [""]


def test_unpublishing_changes_only_the_published_ones():
    draft = MeasureFactory(is_published=False)
    published = MeasureFactory(is_published=True)

    assert measure_set_published(measures=[draft, published], published=False) == 1
    assert measure_set_published(measures=[draft, published], published=False) == 0

    assert not stored(published).is_published
    assert stored(published).version == 2
    assert reasons(published) == ["", "Avpublisert"]
    assert stored(draft).version == 1


def test_publishing_touches_only_the_measures_given(two_measures):
    first, second = (MeasureFactory(is_published=False) for _ in range(2))

    assert measure_set_published(measures=[second], published=True) == 1

    assert not stored(first).is_published
    assert stored(first).version == 1


def test_archiving_changes_each_measure_once(two_measures):
    first, second = two_measures
    user = UserFactory()
    before = timezone.now()

    assert measure_archive(measures=[second], user=user) == 1
    archived_at = stored(second).archived_at
    assert measure_archive(measures=[second, first], user=user) == 1
    assert measure_archive(measures=[second, first], user=user) == 0

    assert archived_at is not None and before <= archived_at <= timezone.now()
    assert stored(second).archived_at == archived_at  # the second call left it
    assert stored(second).version == 2
    assert reasons(second) == ["", "Arkivert"]
    assert second.history.latest("history_id").history_user == user
    assert stored(first).version == 2


@pytest.mark.parametrize(
    "action",
    [
        lambda measures: measure_set_published(measures=measures, published=True),
        lambda measures: measure_archive(measures=measures),
    ],
    ids=["publish", "archive"],
)
def test_a_bulk_action_that_fails_halfway_changes_nothing(monkeypatch, action):
    measures = [MeasureFactory(is_published=False) for _ in range(2)]
    save = services._save_with_history
    calls = []

    def second_one_fails(obj: Any, **kwargs: Any) -> None:
        calls.append(obj.pk)
        if len(calls) == 2:
            raise DatabaseError("the connection went away")
        save(obj, **kwargs)

    monkeypatch.setattr(services, "_save_with_history", second_one_fails)

    with pytest.raises(DatabaseError):
        action(measures)

    assert len(calls) == 2
    assert [stored(m).version for m in measures] == [1, 1]
    assert [(stored(m).is_published, stored(m).archived_at) for m in measures] == [
        (False, None)
    ] * 2


@pytest.mark.django_db(transaction=True)
def test_each_write_locks_and_writes_in_one_transaction(monkeypatch):
    """Outside the tests' own transaction: a row lock lasts only as long as its transaction, so
    the check that reads the locked row and the write must share one."""
    measure = MeasureFactory()
    indicator = IndicatorFactory(measure=measure)
    inside: dict[str, bool] = {}
    save, value_errors = services._save_with_history, indicator_value_errors

    def recording_save(obj: Any, **kwargs: Any) -> None:
        inside.setdefault(kwargs.get("reason", ""), connection.in_atomic_block)
        save(obj, **kwargs)

    def recording_value_errors(**kwargs: Any) -> Any:
        inside["indicator value check"] = connection.in_atomic_block
        return value_errors(**kwargs)

    monkeypatch.setattr(services, "_save_with_history", recording_save)
    monkeypatch.setattr(services, "indicator_value_errors", recording_value_errors)

    measure_save(measure=stored(measure), expected_version=1, relations_changed=True, reason="x")
    measure_description_update(measure=measure, description="Ny.", expected_version=2)
    indicator_value_create(indicator=indicator, date=dt.date(2025, 1, 1), value=Decimal(1))

    assert inside == {
        "x": True,
        "Beskrivelsen er endret": True,
        "indicator value check": True,
        "Verdi registrert": True,
    }


def test_a_twin_value_that_gets_in_between_is_refused_with_the_rule(monkeypatch):
    """Where rows cannot be locked (SQLite), a value for the same date can be saved between the
    check and the write; the unique constraint stops it, and the rule says why."""
    indicator = IndicatorFactory()
    IndicatorValue.objects.create(indicator=indicator, date=dt.date(2025, 1, 1), value=Decimal(7))
    value_errors = indicator_value_errors
    calls = []

    def first_check_sees_no_twin(**kwargs: Any) -> Any:
        calls.append(kwargs["existing"])
        return value_errors(
            **{**kwargs, "existing": None if len(calls) == 1 else kwargs["existing"]}
        )

    monkeypatch.setattr(services, "indicator_value_errors", first_check_sees_no_twin)

    with pytest.raises(ValidationError) as error:
        indicator_value_create(indicator=indicator, date=dt.date(2025, 1, 1), value=Decimal(8))

    assert calls == [Decimal(7), Decimal(7)]
    assert "Indikatoren har alt verdien 7" in error.value.message_dict["date"][0]
    assert not isinstance(error.value, IntegrityError)
    assert list(indicator.values.values_list("value", flat=True)) == [Decimal(7)]


# Importing ---------------------------------------------------------------------------------------


def import_row(area: FocusArea, slug: str, **overrides: Any) -> ImportRow:
    fields: dict[str, Any] = {
        "row": 2,
        "slug": slug,
        "title": f"Tiltak {slug}",
        "focus_area_id": area.pk,
        "goal_id": None,
        "summary": "Kort.",
        "description": "Lang.",
        "strategy": "Strategi.",
        "expected_result": "Resultat.",
        "planned_start": "2025-01-01",
        "planned_end": "2025-12-31",
        "responsible_id": None,
    }
    return ImportRow(**{**fields, **overrides})


def test_an_import_creates_drafts_and_updates_the_plan_of_existing_measures():
    area = FocusAreaFactory()
    existing = MeasureFactory(slug="finnes", status=Status.ON_TRACK, progress=30, is_published=True)
    person = PersonFactory()
    municipality = MunicipalityFactory()
    partner = OrganisationFactory()
    user = UserFactory()
    rows = [
        import_row(area, "ny-en", municipality_ids=[municipality.pk], partner_ids=[partner.pk]),
        import_row(area, "finnes", title="Nytt navn", responsible_id=person.pk),
        import_row(area, "ny-to", planned_start=None, planned_end=None),
    ]

    assert measure_import(rows=rows, user=user) == (2, 1)

    new = Measure.objects.get(slug="ny-en")
    assert not new.is_published
    assert new.version == 1
    assert (new.title, new.summary, new.description) == ("Tiltak ny-en", "Kort.", "Lang.")
    assert (new.strategy, new.expected_result) == ("Strategi.", "Resultat.")
    assert (new.planned_start, new.planned_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert list(new.municipalities.all()) == [municipality]
    assert list(new.partners.all()) == [partner]
    # The many-to-many relations are recorded as saves of their own, with the same reason.
    assert set(reasons(new)) == {"Importert fra fil"}
    assert {h.history_user for h in new.history.all()} == {user}
    updated = stored(existing)
    assert (updated.title, updated.focus_area_id, updated.responsible) == (
        "Nytt navn",
        area.pk,
        person,
    )
    assert (updated.status, updated.progress, updated.is_published) == (Status.ON_TRACK, 30, True)
    assert updated.version == 2
    undated = Measure.objects.get(slug="ny-to")
    assert (undated.planned_start, undated.planned_end) == (None, None)


def test_an_import_of_existing_measures_only_counts_them_as_updated():
    area = FocusAreaFactory()
    for slug in ("a", "b"):
        MeasureFactory(slug=slug)

    assert measure_import(rows=[import_row(area, "a"), import_row(area, "b")]) == (0, 2)


def test_an_import_with_a_bad_row_writes_nothing():
    area = FocusAreaFactory()
    existing = MeasureFactory(slug="finnes")
    rows = [
        import_row(area, "ny"),
        import_row(area, "finnes", title="Endret"),
        import_row(area, "for-lang", title="x" * 301),  # past the title's 300 characters
    ]

    with pytest.raises(Exception, match="300"):
        measure_import(rows=rows)

    assert not Measure.objects.filter(slug="ny").exists()
    assert stored(existing).title != "Endret"
    assert stored(existing).version == 1


def test_an_import_row_whose_slug_is_no_slug_is_refused_by_the_model_too():
    area = FocusAreaFactory()

    with pytest.raises(ValidationError) as error:
        measure_import(rows=[import_row(area, "Ikke et kortnavn")])

    assert "slug" in error.value.message_dict
    assert not Measure.objects.exists()


# What changed since a version -------------------------------------------------------------------


def test_the_changes_since_a_version_name_who_changed_what(two_measures):
    measure = stored(two_measures[1])
    first_user = UserFactory(first_name="Kari", last_name="Nordmann")
    measure.title = "Andre tittel"
    measure_save(measure=measure, expected_version=1, user=first_user, reason="Ny tittel")
    measure = stored(measure)  # as the next request would, without the first one's user
    measure.summary = "Nytt sammendrag."
    measure.planned_start = None
    measure_save(measure=measure, expected_version=2)
    measure_save(measure=measure, expected_version=3, relations_changed=True)

    changes = measure_changes_since(measure=measure, version=1)

    assert [c.version for c in changes] == [2, 3, 4]
    assert [(c.user, c.reason) for c in changes] == [
        ("Kari Nordmann", "Ny tittel"),
        ("ukjent", ""),
        ("ukjent", ""),
    ]
    assert [(f.field, f.old, f.new) for f in changes[0].fields] == [
        ("tittel", two_measures[1].title, "Andre tittel")
    ]
    assert sorted((f.field, f.old, f.new) for f in changes[1].fields) == [
        ("planlagt start", "2024-03-01", "–"),
        ("sammendrag", "Et tiltak for å prøve ut noe nytt.", "Nytt sammendrag."),
    ]
    assert changes[2].fields == []
    assert all(isinstance(c.at, dt.datetime) for c in changes)
    assert [c.version for c in measure_changes_since(measure=measure, version=3)] == [4]
    assert measure_changes_since(measure=measure, version=4) == []


def test_the_changes_skip_the_records_of_the_version_they_start_from(two_measures):
    """Relations saved after a save are recorded as more rows of the same version."""
    measure = stored(two_measures[1])
    measure.co_owners.add(PersonFactory())
    measure.municipalities.add(MunicipalityFactory())
    assert measure.history.filter(version=1).count() == 3
    measure.title = "Etterpå"
    measure_save(measure=measure, expected_version=1)

    changes = measure_changes_since(measure=measure, version=1)

    assert [(c.version, [f.new for f in c.fields]) for c in changes] == [(2, ["Etterpå"])]


def test_a_conflict_tells_what_changed_meanwhile(two_measures):
    measure = stored(two_measures[1])
    status_update_create(measure=two_measures[1], status=Status.ON_TRACK, progress=10)

    with pytest.raises(MeasureConflictError) as conflict:
        measure_description_update(measure=measure, description="Sent.", expected_version=1)

    assert [c.version for c in conflict.value.changes] == [2]
    assert "versjon 2, du hadde versjon 1" in conflict.value.message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "–"),
        ("", "–"),
        ([], "–"),
        (["Harstad", "Narvik"], "Harstad, Narvik"),
        (0, "0"),
        (False, "False"),
        ("x" * 200, "x" * 200),
        ("x" * 201, "x" * 199 + "…"),
    ],
)
def test_how_a_changed_value_is_shown(value, shown):
    assert _display(value) == shown


# The row locks, on PostgreSQL --------------------------------------------------------------------

LOCKED_CALLS: dict[str, Callable[[Measure], object]] = {
    "status_update_create": lambda m: status_update_create(
        measure=m, status=Status.ON_TRACK, progress=5
    ),
    "measure_save": lambda m: measure_save(measure=m, expected_version=1, relations_changed=True),
    "measure_description_update": lambda m: measure_description_update(
        measure=m, description="Låst.", expected_version=1
    ),
    "measure_set_published": lambda m: measure_set_published(measures=[m], published=False),
    "measure_archive": lambda m: measure_archive(measures=[m]),
    "measure_import": lambda m: measure_import(rows=[import_row(m.focus_area, m.slug)]),
    "indicator_value_create": lambda m: indicator_value_create(
        indicator=IndicatorFactory(measure=m), date=dt.date(2025, 1, 1), value=Decimal(1)
    ),
}


@pytest.mark.parametrize("name", LOCKED_CALLS)
def test_each_write_locks_the_rows_it_changes_on_postgresql(two_measures, name):
    """Two saves of one measure then wait for each other instead of one overwriting the other
    (tests/measures/test_services_concurrency.py shows it with twenty threads for two of them).
    SQLite locks the whole database for a write and has no row locks to ask for."""
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks (SELECT … FOR UPDATE)")
    measure = stored(two_measures[1])
    table = "measures_indicator" if name == "indicator_value_create" else "measures_measure"

    with CaptureQueriesContext(connection) as queries:
        LOCKED_CALLS[name](measure)

    locking = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and "FOR UPDATE" in q["sql"]
    ]
    assert any(f'FROM "{table}"' in sql for sql in locking), [q["sql"] for q in queries]
