"""The work lists of Min side: what needs attention, per owner and over the whole programme, and
the stored measures that break a consistency rule; `my_measures`, «Mine tiltak» (the admin start
page's list before it moved to Min side)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from measures.models import Measure
from measures.selectors import (
    current_programme,
    current_programme_start,
    inconsistent_measures,
    measure_attention,
    my_measures,
    programme_attention,
)
from measures.status import Status
from teams.models import Person
from tests.measures.factories import FocusAreaFactory, MeasureFactory, ProgrammeFactory
from tests.teams.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


def at(days_ago: int) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(12))
    )


def test_a_fresh_measure_on_plan_needs_no_attention():
    measure = Measure(
        status=Status.ON_TRACK,
        progress=40,
        planned_end=dt.date(2027, 6, 30),
        forecast_end=dt.date(2027, 6, 30),
        last_status_update_at=at(10),
    )

    row = measure_attention(measure, today=TODAY)

    assert (row.needs_attention, row.reasons, row.rule_errors) == (False, [], [])


def test_not_updated_for_long_names_the_last_date():
    measure = Measure(status=Status.ON_TRACK, progress=40, last_status_update_at=at(120))

    row = measure_attention(measure, today=TODAY)

    assert row.is_stale
    assert row.reasons == ["Sist oppdatert for 3 måneder siden (01.08.2026)"]


def test_never_updated():
    row = measure_attention(Measure(status=Status.NOT_STARTED, progress=0), today=TODAY)

    assert row.reasons == ["Har aldri fått en statusoppdatering"]


def test_an_expected_end_after_the_planned_end_while_it_runs():
    measure = Measure(
        status=Status.DELAYED,
        progress=40,
        planned_end=dt.date(2026, 6, 30),
        forecast_end=dt.date(2026, 12, 31),
        last_status_update_at=at(1),
    )

    row = measure_attention(measure, today=TODAY)

    assert row.reasons == [
        "Forventet slutt 31.12.2026 er 184 dager etter planlagt slutt 30.06.2026"
    ]
    assert row.rule_errors == []  # «Forsinket» says so: no rule is broken


def test_a_finished_measure_late_against_the_plan_needs_nothing():
    measure = Measure(
        status=Status.COMPLETED,
        progress=100,
        planned_end=dt.date(2026, 6, 30),
        forecast_end=dt.date(2026, 9, 30),
        last_status_update_at=at(400),
    )

    assert measure_attention(measure, today=TODAY).reasons == []


def test_a_broken_rule_is_a_reason_with_the_rules_own_message():
    measure = Measure(
        status=Status.ON_TRACK,
        progress=40,
        planned_start=dt.date(2019, 1, 1),
        planned_end=dt.date(2021, 6, 30),
        forecast_end=dt.date(2027, 5, 31),
        last_status_update_at=at(1),
    )

    row = measure_attention(measure, today=TODAY)

    assert row.reasons[-1] == "Statusen stemmer ikke med datoene eller framdriften"
    assert row.rule_errors == [
        "Forventet slutt 31.05.2027 er etter planlagt slutt 30.06.2021. Velg «Forsinket», "
        "eller sett forventet slutt til 30.06.2021 eller tidligere."
    ]


# Whose measures -----------------------------------------------------------------------------------


def test_my_measures_are_the_responsible_and_co_owned_ones_attention_first():
    user = UserFactory()
    person = PersonFactory(user=user)
    fresh = MeasureFactory(
        title="A fersk", responsible=person, status=Status.ON_TRACK, progress=10,
        last_status_update_at=timezone.now(),
    )  # fmt: skip
    stale = MeasureFactory(title="B gammel", responsible=person)
    shared = MeasureFactory(title="C delt", last_status_update_at=timezone.now())
    shared.co_owners.add(person)
    draft = MeasureFactory(title="D utkast", responsible=person, is_published=False)
    MeasureFactory(title="E arkivert", responsible=person, archived_at=timezone.now())
    MeasureFactory(title="F andres")

    rows = my_measures(user=user, today=timezone.localdate())

    assert [row.measure for row in rows] == [stale, draft, fresh, shared]
    assert [row.needs_attention for row in rows] == [True, True, False, False]


def test_no_person_no_measures():
    assert my_measures(user=UserFactory(), today=TODAY) == []


def test_my_measures_cost_the_same_queries_however_many(django_assert_num_queries):
    user = UserFactory()
    person = PersonFactory(user=user)
    MeasureFactory(responsible=person)
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(2):  # the person, the measures
        my_measures(user=user, today=TODAY)

    for _ in range(20):
        MeasureFactory(responsible=person).co_owners.add(PersonFactory())
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(2):
        assert len(my_measures(user=user, today=TODAY)) == 21


# The whole programme ------------------------------------------------------------------------------


def test_programme_attention_groups_by_focus_area_in_the_plans_order():
    programme = ProgrammeFactory(is_current=True)
    first = FocusAreaFactory(programme=programme, order=1, name="Kompetanse")
    second = FocusAreaFactory(programme=programme, order=2, name="Reiseliv")
    old = ProgrammeFactory(is_current=False)
    MeasureFactory(title="Annet program", focus_area=FocusAreaFactory(programme=old))
    late = MeasureFactory(title="Sent", focus_area=second)
    fine = MeasureFactory(
        title="Fint", focus_area=first, status=Status.ON_TRACK, progress=20,
        last_status_update_at=timezone.now(),
    )  # fmt: skip
    stale = MeasureFactory(title="Gammel", focus_area=first)

    groups = programme_attention(today=timezone.localdate())

    assert [(g.area, [r.measure for r in g.rows]) for g in groups] == [
        (first, [stale]),
        (second, [late]),
    ]
    assert fine not in [r.measure for g in groups for r in g.rows]


def test_programme_attention_is_one_query(django_assert_num_queries):
    programme = ProgrammeFactory(is_current=True)
    for n in range(15):
        MeasureFactory(focus_area=FocusAreaFactory(programme=programme), title=f"Tiltak {n}")

    with django_assert_num_queries(1):
        groups = programme_attention(today=TODAY)

    assert sum(len(g.rows) for g in groups) == 15


def test_stored_measures_breaking_a_rule_are_listed_and_left_alone(django_assert_num_queries):
    broken = MeasureFactory(
        title="Etter plan, men for sent",
        status=Status.ON_TRACK,
        progress=40,
        planned_start=dt.date(2019, 1, 1),
        planned_end=dt.date(2021, 6, 30),
        forecast_end=dt.date(2027, 5, 31),
    )
    idle = MeasureFactory(title="Ikke startet, men i gang", status=Status.NOT_STARTED, progress=25)
    MeasureFactory(title="I orden", status=Status.DELAYED, progress=40)
    MeasureFactory(
        title="Arkivert", status=Status.NOT_STARTED, progress=5, archived_at=timezone.now()
    )
    before = list(Measure.objects.order_by("pk").values())

    with django_assert_num_queries(1):
        rows = inconsistent_measures(today=TODAY)

    assert {row.measure for row in rows} == {broken, idle}
    by_measure = {row.measure: row.rule_errors for row in rows}
    assert "Velg «Forsinket»" in by_measure[broken][0]
    assert "Framdriften er 25 %" in by_measure[idle][0]
    assert list(Measure.objects.order_by("pk").values()) == before  # nothing silently changed


# «Mine tiltak» -----------------------------------------------------------------------------------


@pytest.fixture
def owner_person() -> Person:
    return PersonFactory(name="Kari Ansvarlig", user=UserFactory(username="ansvarlig"))


def rows(user: User | AnonymousUser) -> list[tuple[str, bool]]:
    return [(row.measure.title, row.is_stale) for row in my_measures(user=user, today=today())]


def today() -> dt.date:
    return timezone.localdate()


def test_lists_what_the_person_is_responsible_for_or_co_owns(owner_person):
    MeasureFactory(title="Eget tiltak", responsible=owner_person)
    MeasureFactory(title="Delt tiltak").co_owners.add(owner_person)
    MeasureFactory(title="Andres tiltak")

    assert {title for title, _stale in rows(owner_person.user)} == {"Eget tiltak", "Delt tiltak"}


def test_measures_not_updated_for_90_days_come_first_and_are_flagged(owner_person):
    long_ago = timezone.now() - dt.timedelta(days=120)
    stale = MeasureFactory(title="Glemt tiltak", responsible=owner_person)
    fresh = MeasureFactory(title="Ferskt tiltak", responsible=owner_person)
    Measure.objects.filter(pk=stale.pk).update(last_status_update_at=long_ago)
    Measure.objects.filter(pk=fresh.pk).update(last_status_update_at=timezone.now())

    assert rows(owner_person.user) == [("Glemt tiltak", True), ("Ferskt tiltak", False)]


def test_archived_measures_are_left_out_and_drafts_kept(owner_person):
    MeasureFactory(title="Eget tiltak", responsible=owner_person)
    MeasureFactory(title="Utkast", responsible=owner_person, is_published=False)
    MeasureFactory(title="Arkivert", responsible=owner_person, archived_at=timezone.now())

    assert {title for title, _stale in rows(owner_person.user)} == {"Eget tiltak", "Utkast"}


def test_a_measure_both_owned_and_co_owned_is_listed_once(owner_person):
    measure = MeasureFactory(title="Eget tiltak", responsible=owner_person)
    measure.co_owners.add(owner_person)

    assert [title for title, _stale in rows(owner_person.user)] == ["Eget tiltak"]


def test_a_login_without_a_person_and_the_anonymous_have_none(owner_person):
    MeasureFactory(responsible=owner_person)

    assert rows(UserFactory(username="uten-person")) == []
    assert rows(AnonymousUser()) == []


@pytest.mark.django_db
def test_the_current_programmes_start_is_one_small_query(django_assert_num_queries):
    ProgrammeFactory(start=dt.date(2020, 3, 1), is_current=False)
    ProgrammeFactory(start=dt.date(2018, 11, 1), is_current=True)

    with django_assert_num_queries(1):
        start = current_programme_start()

    assert start == dt.date(2018, 11, 1)
    assert start == current_programme().start  # type: ignore[union-attr]


@pytest.mark.django_db
def test_without_a_current_programme_there_is_no_start():
    ProgrammeFactory(is_current=False)

    assert current_programme_start() is None
