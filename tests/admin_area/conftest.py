"""Fixtures of the admin-area tests: one login per role, and measures that are and are not theirs.

The measure owner («Tiltaksansvarlig») is linked to a person who is responsible for `own_measure`
and co-owner of `co_owned_measure`; `other_measure` belongs to somebody else.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.forms.models import model_to_dict
from django.http.response import HttpResponseBase
from django.test import Client

from drivkraft.core.admin_site import workspace_url
from measures.models import Indicator, Measure
from teams.models import Person
from teams.roles import MEASURE_OWNER, PROJECT_LEADER, STEERING_GROUP
from tests.conftest import TestResponse
from tests.measures.factories import IndicatorFactory, MeasureFactory
from tests.teams.factories import PersonFactory, UserFactory

PASSWORD = "passord-for-test"  # UserFactory's password
ROLES = ("leader", "owner", "steering", "no_role", "anonymous")
GROUP_OF_ROLE = {"leader": PROJECT_LEADER, "owner": MEASURE_OWNER, "steering": STEERING_GROUP}


def make_staff_user(username: str, group: str | None = None, **kwargs: Any) -> User:
    user = UserFactory(username=username, is_staff=True, **kwargs)
    if group is not None:
        # The groups come from the data migration (measures/migrations/0004_roles.py).
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def leader(db: None) -> User:
    return make_staff_user("leder", PROJECT_LEADER, first_name="Sigrid", last_name="Leder")


@pytest.fixture
def second_leader(db: None) -> User:
    return make_staff_user("leder2", PROJECT_LEADER, first_name="Bjørn", last_name="Nestleder")


@pytest.fixture
def owner_person(db: None) -> Person:
    return PersonFactory(name="Kari Ansvarlig")


@pytest.fixture
def owner(owner_person: Person) -> User:
    user = make_staff_user("ansvarlig", MEASURE_OWNER, first_name="Kari", last_name="Ansvarlig")
    owner_person.user = user
    owner_person.save()
    return user


@pytest.fixture
def steering(db: None) -> User:
    return make_staff_user("styret", STEERING_GROUP, first_name="Ola", last_name="Styre")


@pytest.fixture
def no_role(db: None) -> User:
    """Staff, so the admin's login form accepts them, but in none of the three groups."""
    return make_staff_user("utenrolle")


@pytest.fixture
def users(leader: User, owner: User, steering: User, no_role: User) -> dict[str, User]:
    return {"leader": leader, "owner": owner, "steering": steering, "no_role": no_role}


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
    return MeasureFactory(title="Eget tiltak", slug="eget-tiltak", responsible=owner_person)


@pytest.fixture
def co_owned_measure(owner_person: Person) -> Measure:
    measure = MeasureFactory(title="Delt tiltak", slug="delt-tiltak")
    measure.co_owners.add(owner_person)
    return measure


@pytest.fixture
def other_measure(db: None) -> Measure:
    return MeasureFactory(title="Andres tiltak", slug="andres-tiltak")


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


# Helpers ----------------------------------------------------------------------------------------


def snapshot(measure: Measure) -> dict[str, Any]:
    """Everything a refused request must leave as it was."""
    row = Measure.objects.get(pk=measure.pk)
    return {
        **model_to_dict(row),
        "version": row.version,
        "archived_at": row.archived_at,
        "history": row.history.count(),
        "status_updates": row.status_updates.count(),
    }


def is_login_redirect(response: HttpResponseBase) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


def is_workspace_redirect(response: HttpResponseBase) -> bool:
    """The admin is the project leaders'; anyone else logged in is sent to Min side."""
    return response.status_code == 302 and bool(response["Location"] == workspace_url())


def assert_refused(response: HttpResponseBase, role: str) -> None:
    """What the admin answers a role that may not use it: the login page for the anonymous, Min
    side for everyone else but the project leader."""
    if role == "anonymous":
        assert is_login_redirect(response), response.status_code
    else:
        assert role != "leader"
        assert is_workspace_redirect(response), (response.status_code, response.get("Location"))


class _FormParser(HTMLParser):
    """Collects what a browser would submit from each <form>: name → list of values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str | None, value: str) -> None:
        if self._form is None or not name or "__prefix__" in name:
            return
        self._form["data"].setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"id": a.get("id", ""), "data": {}}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._add(a.get("name"), a.get("value", "on"))
                return
            self._add(a.get("name"), a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def form_data(
    response: TestResponse, form_id: str | None = None, *, field: str | None = None
) -> dict[str, Any]:
    """The data a browser would post from a form on the page: the one with this id, or else the
    first one with this field."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    for form in parser.forms:
        if (form_id is not None and form["id"] == form_id) or (
            form_id is None and field in form["data"]
        ):
            return {k: v if len(v) > 1 else v[0] for k, v in form["data"].items()}
    raise AssertionError(f"No form {form_id or field!r} on the page")


def page_text(response: TestResponse) -> str:
    """The page's text with tags removed and entities resolved, for matching messages."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))
