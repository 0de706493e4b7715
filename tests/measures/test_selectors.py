"""`my_measures`: the measures a login answers for, for «Mine tiltak» on Min side.

These were the admin start page's tests; the list left the admin for Min side, the selector stays.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from measures.models import Measure
from measures.selectors import my_measures
from tests.measures.factories import MeasureFactory
from tests.teams.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_person():
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
