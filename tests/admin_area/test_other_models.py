"""The rest of the admin: teams and the plan's frame, which the leader changes and every role may
read by the rules (on Min side and the public pages; the admin itself is the leader's), and that
no other role changes anything anywhere through the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from teams.roles import MEASURE_OWNER
from tests.admin_area.conftest import (
    ROLES,
    assert_refused,
    form_data,
    is_workspace_redirect,
    make_staff_user,
)
from tests.measures.factories import (
    FocusAreaFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgrammeFactory,
    StatusUpdateFactory,
    SubGoalFactory,
)
from tests.teams.factories import (
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

READERS = {"leader", "owner", "steering"}

# model: (factory, a text field to change in the form)
# Each factory makes a different model, all with a history.
EDITABLE: dict[str, tuple[Callable[[], Any], str]] = {
    "teams.municipality": (MunicipalityFactory, "sami_name"),
    "teams.organisation": (OrganisationFactory, "short_name"),
    "teams.person": (PersonFactory, "title"),
    "teams.body": (lambda: BodyFactory(kind="naeringsteam"), "description"),
    "teams.membership": (MembershipFactory, "role"),
    "measures.programme": (ProgrammeFactory, "effect_goal"),
    "measures.subgoal": (SubGoalFactory, "assessment"),
    "measures.focusarea": (FocusAreaFactory, "description"),
    "measures.goal": (GoalFactory, "description"),
    "measures.indicator": (IndicatorFactory, "description"),
}
TEAMS = [label for label in EDITABLE if label.startswith("teams.")]


def admin_url(obj: Model, view: str) -> str:
    opts = obj._meta
    args = [obj.pk] if view in {"change", "delete", "history"} else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def leader_form(client_for: Callable[[str], Client], obj: Model) -> dict[str, Any]:
    return form_data(
        client_for("leader").get(admin_url(obj, "change")), f"{obj._meta.model_name}_form"
    )


@pytest.mark.parametrize("label", EDITABLE)
@pytest.mark.parametrize("role", ROLES)
def test_the_rules_let_every_role_read_and_only_the_leader_change(users, role, label):
    user = AnonymousUser() if role == "anonymous" else users[role]
    app_label, model = label.split(".")

    expected = {
        "view": role in READERS,
        "add": role == "leader",
        # Asked without an object, an owner may change indicators: each is then asked about on
        # its own, and only those of the owner's own measures say yes (test_permissions.py).
        "change": role == "leader" or (role == "owner" and label == "measures.indicator"),
        "delete": role == "leader",
    }

    actual = {action: user.has_perm(f"{app_label}.{action}_{model}") for action in expected}

    assert actual == expected


@pytest.mark.parametrize("label", TEAMS)
@pytest.mark.parametrize("role", ROLES)
def test_teams_are_read_and_changed_in_the_admin_by_the_leader_alone(client_for, role, label):
    factory, field = EDITABLE[label]
    obj = factory()
    data = leader_form(client_for, obj) | {field: "Endret av testen"}
    history = obj.history.count()
    client = client_for(role)

    changelist = client.get(admin_url(obj, "changelist"))
    change_page = client.get(admin_url(obj, "change"))
    add_page = client.get(admin_url(obj, "add"))
    response = client.post(admin_url(obj, "change"), data)

    obj.refresh_from_db()
    if role == "leader":
        assert (changelist.status_code, change_page.status_code) == (200, 200)
        assert change_page.context["has_change_permission"] is True
        assert add_page.status_code == 200
        assert response.status_code == 302
        assert getattr(obj, field) == "Endret av testen"
        assert obj.history.count() == history + 1
    else:
        for refused in (changelist, change_page, add_page, response):
            assert_refused(refused, role)
        assert getattr(obj, field) != "Endret av testen"
        assert obj.history.count() == history


@pytest.mark.parametrize("label", EDITABLE)
@pytest.mark.parametrize("role", ["owner", "steering"])
def test_readers_change_nothing_in_the_plan_or_the_teams(client_for, own_measure, role, label):
    factory, field = EDITABLE[label]
    # An indicator of the owner's own measure: the owner may add values there, not change it.
    obj = IndicatorFactory(measure=own_measure) if label == "measures.indicator" else factory()
    data = leader_form(client_for, obj) | {field: "Endret av testen"}
    history = obj.history.count()
    client = client_for(role)

    change = client.post(admin_url(obj, "change"), data)
    delete = client.post(admin_url(obj, "delete"), {"post": "yes"})

    obj.refresh_from_db()  # still there
    assert getattr(obj, field) != "Endret av testen"
    assert_refused(change, role)
    assert_refused(delete, role)
    assert obj.history.count() == history


@pytest.mark.parametrize("role", ["leader", "owner", "steering"])
def test_status_updates_are_a_record_nobody_edits_or_deletes(client_for, own_measure, role):
    update = StatusUpdateFactory(measure=own_measure, comment="Slik var det.")
    client = client_for(role)

    page = client.get(admin_url(update, "change"))
    change = client.post(admin_url(update, "change"), {"comment": "Omskrevet", "progress": "99"})
    delete = client.post(admin_url(update, "delete"), {"post": "yes"})
    add = client.get(admin_url(update, "add"))

    if role == "leader":
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    else:
        for refused in (page, change, delete, add):
            assert_refused(refused, role)
    update.refresh_from_db()
    assert (update.comment, update.progress) == ("Slik var det.", 25)


@pytest.mark.parametrize("role", ["owner", "steering"])
def test_readers_change_no_indicator_value_they_do_not_own(client_for, other_indicator, role):
    value = IndicatorValueFactory(indicator=other_indicator, value="5")

    change = client_for(role).post(
        admin_url(value, "change"),
        {"indicator": other_indicator.pk, "date": "01.01.2025", "value": "9"},
    )
    delete = client_for(role).post(admin_url(value, "delete"), {"post": "yes"})

    assert_refused(change, role)
    assert_refused(delete, role)
    value.refresh_from_db()
    assert str(value.value) == "5.00"


def test_staff_without_a_role_are_sent_to_min_side(client_for):
    response = client_for("no_role").get(reverse("admin:index"))

    assert is_workspace_redirect(response)


@pytest.mark.parametrize("role", ROLES)
def test_autocomplete_is_for_the_leader(client_for, owner_person, role):
    response = client_for(role).get(
        "/admin/autocomplete/",
        {
            "app_label": "measures",
            "model_name": "measure",
            "field_name": "responsible",
            "term": "Kari",
        },
    )

    if role == "leader":
        assert response.status_code == 200
        assert [r["text"] for r in response.json()["results"]] == ["Kari Ansvarlig"]
    else:
        assert_refused(response, role)


@pytest.mark.parametrize("role", ["leader", "owner", "steering"])
def test_only_the_leader_sees_the_content_revision(client_for, role):
    response = client_for(role).get(reverse("admin:core_contentrevision_changelist"))

    if role == "leader":
        assert response.status_code == 200
    else:
        assert_refused(response, role)


def test_the_steering_group_cannot_revert_a_person_from_the_history(client_for):
    person = PersonFactory(title="Rådgiver")
    first = person.history.earliest()
    client_for("leader").post(
        admin_url(person, "change"), leader_form(client_for, person) | {"title": "Næringssjef"}
    )
    url = reverse("admin:teams_person_simple_history", args=[person.pk, first.history_id])

    data = form_data(client_for("leader").get(url), "historicalperson_form")  # the old version

    response = client_for("steering").post(url, data)

    person.refresh_from_db()
    assert person.title == "Næringssjef"
    assert_refused(response, "steering")


def test_an_owner_cannot_take_over_another_person_through_the_history_page(
    client_for, other_measure
):
    newcomer = make_staff_user("ny-ansvarlig", MEASURE_OWNER)
    person = other_measure.responsible
    record = person.history.latest()
    url = reverse("admin:teams_person_simple_history", args=[person.pk, record.history_id])
    client = Client()
    client.force_login(newcomer)
    data = form_data(client_for("leader").get(url), "historicalperson_form")

    response = client.post(url, data | {"user": newcomer.pk})

    assert_refused(response, "owner")
    person.refresh_from_db()
    assert person.user_id is None
    newcomer = get_user_model().objects.get(pk=newcomer.pk)
    assert not newcomer.has_perm("measures.change_measure", other_measure)
