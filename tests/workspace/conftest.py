"""Fixtures of the Min side tests: one login per role, none of them staff but the project leader
(Min side must never need the admin), and measures that are and are not theirs.

`owner` is responsible for `own_measure` and co-owns `co_owned_measure`; `other_owner` is a
measure owner too, responsible for `other_measure` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.http.response import HttpResponseBase
from django.test import Client

from measures.models import Indicator, Measure
from measures.status import Status
from teams.models import Person
from teams.roles import MEASURE_OWNER, PROJECT_LEADER, STEERING_GROUP
from tests.measures.factories import IndicatorFactory, MeasureFactory
from tests.teams.factories import PersonFactory, UserFactory

PASSWORD = "passord-for-test"  # UserFactory's password
ROLES = ("anonymous", "owner", "other_owner", "leader", "steering", "no_role")


def make_user(
    username: str, group: str | None = None, *, is_staff: bool = False, **kwargs: Any
) -> User:
    user = UserFactory(username=username, is_staff=is_staff, **kwargs)
    if group is not None:
        # get_or_create: a transactional test flushes the groups the data migration made.
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def link_person(user: User, person: Person) -> User:
    person.user = user
    person.save()
    return user


@pytest.fixture
def owner_person(db: None) -> Person:
    return PersonFactory(name="Kari Ansvarlig")


@pytest.fixture
def other_person(db: None) -> Person:
    return PersonFactory(name="Per Annen")


@pytest.fixture
def owner(owner_person: Person) -> User:
    return link_person(make_user("ansvarlig", MEASURE_OWNER), owner_person)


@pytest.fixture
def other_owner(other_person: Person) -> User:
    return link_person(make_user("annen", MEASURE_OWNER), other_person)


@pytest.fixture
def leader(db: None) -> User:
    return make_user("leder", PROJECT_LEADER, is_staff=True, first_name="Sigrid", last_name="Leder")


@pytest.fixture
def steering(db: None) -> User:
    return make_user("styret", STEERING_GROUP, first_name="Ola", last_name="Styre")


@pytest.fixture
def no_role(db: None) -> User:
    return make_user("utenrolle")


@pytest.fixture
def users(
    owner: User, other_owner: User, leader: User, steering: User, no_role: User
) -> dict[str, User]:
    return {
        "owner": owner,
        "other_owner": other_owner,
        "leader": leader,
        "steering": steering,
        "no_role": no_role,
    }


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    """A fresh client logged in as the role (`anonymous`: not logged in)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def own_measure(owner_person: Person) -> Measure:
    return MeasureFactory(
        title="Eget tiltak",
        slug="eget-tiltak",
        responsible=owner_person,
        status=Status.ON_TRACK,
        progress=30,
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2030, 12, 31),
        forecast_end=dt.date(2030, 6, 30),
        description="Gammel **beskrivelse**.",
    )


@pytest.fixture
def co_owned_measure(owner_person: Person) -> Measure:
    measure = MeasureFactory(title="Delt tiltak", slug="delt-tiltak")
    measure.co_owners.add(owner_person)
    return measure


@pytest.fixture
def other_measure(other_person: Person) -> Measure:
    return MeasureFactory(title="Andres tiltak", slug="andres-tiltak", responsible=other_person)


@pytest.fixture
def measures(
    own_measure: Measure, co_owned_measure: Measure, other_measure: Measure
) -> dict[str, Measure]:
    return {"own": own_measure, "co_owned": co_owned_measure, "other": other_measure}


@pytest.fixture
def own_indicator(own_measure: Measure) -> Indicator:
    return IndicatorFactory(measure=own_measure, name="Deltakere på eget tiltak")


@pytest.fixture
def other_indicator(other_measure: Measure) -> Indicator:
    return IndicatorFactory(measure=other_measure, name="Deltakere på andres tiltak")


def is_login_redirect(response: HttpResponseBase, path: str) -> bool:
    return response.status_code == 302 and bool(response["Location"] == f"/logg-inn/?next={path}")
