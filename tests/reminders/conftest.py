"""Fixtures of the reminder tests: a current programme, an owner with a login and an address,
a project leader, and a fixed day to run on."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User

from measures.models import FocusArea, Measure, Programme
from measures.status import Status
from teams.models import Person
from teams.roles import MEASURE_OWNER, PROJECT_LEADER
from tests.measures.factories import FocusAreaFactory, MeasureFactory, ProgrammeFactory
from tests.teams.factories import PersonFactory, UserFactory

# The day the reminders run in these tests, inside the programme (2024–2027).
TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 7, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def make_user(username: str, *roles: str, email: str | None = None, **kwargs: Any) -> User:
    user = UserFactory(
        username=username, email=email if email is not None else f"{username}@example.org", **kwargs
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


@pytest.fixture
def programme(db: None) -> Programme:
    return ProgrammeFactory(is_current=True, start=dt.date(2024, 1, 1), end=dt.date(2027, 12, 31))


@pytest.fixture
def area(programme: Programme) -> FocusArea:
    return FocusAreaFactory(programme=programme, name="Kompetanse")


@pytest.fixture
def owner_person(db: None) -> Person:
    return PersonFactory(name="Kari Nordmann")


@pytest.fixture
def owner(owner_person: Person) -> User:
    user = make_user("kari", MEASURE_OWNER, email="kari@example.org")
    owner_person.user = user
    owner_person.save()
    return user


@pytest.fixture
def leader(db: None) -> User:
    return make_user("leder", PROJECT_LEADER, email="leder@example.org", first_name="Sigrid")


def running_measure(area: FocusArea, person: Person, **kwargs: Any) -> Measure:
    """A measure on plan, updated recently: nothing to remind of unless a test changes it."""
    values: dict[str, Any] = {
        "focus_area": area,
        "responsible": person,
        "status": Status.ON_TRACK,
        "progress": 40,
        "planned_start": dt.date(2024, 3, 1),
        "planned_end": dt.date(2027, 6, 30),
        "forecast_end": dt.date(2027, 6, 30),
        "last_status_update_at": days_ago(10),
    }
    values.update(kwargs)
    return MeasureFactory(**values)


@pytest.fixture
def stale_measure(area: FocusArea, owner_person: Person, owner: User) -> Measure:
    """Not updated for 75 days (the reminder period is 60)."""
    return running_measure(
        area,
        owner_person,
        title="Lærlingløftet",
        slug="laerlingloftet",
        last_status_update_at=days_ago(75),
    )
