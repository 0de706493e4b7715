"""The permission matrix: each role and anonymous × each admin action, on own and others' measures.

Forbidden is 403 (anonymous: the login page), never a silent success, and a forbidden POST leaves
the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from measures.models import IndicatorValue, Measure, StatusUpdate
from tests.admin_area.conftest import ROLES, form_data, is_login_redirect, snapshot
from tests.measures.factories import IndicatorValueFactory

pytestmark = pytest.mark.django_db

TARGETS = ("own", "co_owned", "other")
READERS = {"leader", "owner", "steering"}


def may_update(role: str, target: str) -> bool:
    return role == "leader" or (role == "owner" and target in {"own", "co_owned"})


def assert_forbidden(response, role: str) -> None:
    if role == "anonymous":
        assert is_login_redirect(response), response.status_code
    else:
        assert response.status_code == 403, response.status_code


def change_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_change", args=[measure.pk])


def status_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_status", args=[measure.pk])


CHANGELIST = "/admin/measures/measure/"
IMPORT = "/admin/measures/measure/import/"


# Model permissions, asked directly --------------------------------------------------------------

PERMS = {
    # perm: who has it, per target (None: every target)
    "measures.view_measure": lambda role, target: role in READERS,
    "measures.change_measure": may_update,
    "measures.update_status_measure": may_update,
    "measures.add_statusupdate": may_update,
    "measures.add_measure": lambda role, target: role == "leader",
    "measures.delete_measure": lambda role, target: role == "leader",
    "measures.publish_measure": lambda role, target: role == "leader",
    "measures.import_measure": lambda role, target: role == "leader",
    "measures.edit_plan_measure": lambda role, target: role == "leader",
    "measures.change_statusupdate": lambda role, target: False,
    "measures.delete_statusupdate": lambda role, target: False,
}


@pytest.mark.parametrize("role", ROLES)
def test_has_perm_on_a_measure(users, measures, role):
    user = AnonymousUser() if role == "anonymous" else users[role]
    cases = [(perm, target) for perm in PERMS for target in TARGETS]

    actual = {case: user.has_perm(case[0], measures[case[1]]) for case in cases}

    assert actual == {(perm, target): PERMS[perm](role, target) for perm, target in cases}


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        ("measures.add_indicatorvalue", {("leader", "own"), ("leader", "other"), ("owner", "own")}),
        ("measures.change_indicator", {("leader", "own"), ("leader", "other"), ("owner", "own")}),
        ("measures.add_indicator", {("leader", "own"), ("leader", "other")}),
        ("measures.delete_indicator", {("leader", "own"), ("leader", "other")}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_has_perm_on_an_indicator(users, own_indicator, other_indicator, role, perm, allowed):
    user = AnonymousUser() if role == "anonymous" else users[role]
    indicators = {"own": own_indicator, "other": other_indicator}

    for target, indicator in indicators.items():
        assert user.has_perm(perm, indicator) is ((role, target) in allowed), target


def test_an_inactive_owner_loses_the_object_permission(owner, own_measure):
    assert owner.has_perm("measures.change_measure", own_measure)

    owner.is_active = False
    owner.save()
    owner.refresh_from_db()

    assert not owner.has_perm("measures.change_measure", own_measure)


# Changelist and change view ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_changelist(client_for, measures, role):
    response = client_for(role).get(CHANGELIST)

    if role in READERS:
        assert response.status_code == 200
        assert {m.pk for m in response.context["cl"].result_list} == {
            m.pk for m in measures.values()
        }
    else:
        assert_forbidden(response, role)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_change_view_get(client_for, measures, role, target):
    response = client_for(role).get(change_url(measures[target]))

    if role in READERS:
        assert response.status_code == 200
        assert response.context["has_change_permission"] is may_update(role, target)
    else:
        assert_forbidden(response, role)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_change_view_post(client_for, measures, role, target):
    measure = measures[target]
    data = form_data(client_for("leader").get(change_url(measure)), "measure_form")
    data["title"] = "Endret tittel"
    before = snapshot(measure)

    response = client_for(role).post(change_url(measure), data)

    if may_update(role, target):
        assert response.status_code == 302
        measure.refresh_from_db()
        # A measure owner reports through «Oppdater status»; the plan's texts stay read-only, so
        # their save changes nothing and writes nothing.
        if role == "leader":
            assert (measure.title, measure.version) == ("Endret tittel", before["version"] + 1)
        else:
            assert snapshot(measure) == before
    else:
        assert_forbidden(response, role)
        assert snapshot(measure) == before


@pytest.mark.parametrize("role", ROLES)
def test_add_view_get(client_for, role):
    response = client_for(role).get(reverse("admin:measures_measure_add"))

    if role == "leader":
        assert response.status_code == 200
    else:
        assert_forbidden(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_add_view_post(client_for, other_measure, role):
    url = reverse("admin:measures_measure_add")
    data = form_data(client_for("leader").get(url), "measure_form")
    data |= {
        "title": "Et nytt tiltak",
        "slug": "et-nytt-tiltak",
        "focus_area": other_measure.focus_area_id,
        "summary": "Nytt.",
    }
    count = Measure.objects.count()

    response = client_for(role).post(url, data)

    if role == "leader":
        assert response.status_code == 302
        assert Measure.objects.filter(slug="et-nytt-tiltak").exists()
    else:
        assert_forbidden(response, role)
        assert Measure.objects.count() == count


# Deleting (archiving) and the bulk actions ------------------------------------------------------


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_delete_view_post(client_for, measures, role, target):
    measure = measures[target]
    url = reverse("admin:measures_measure_delete", args=[measure.pk])
    before = snapshot(measure)

    response = client_for(role).post(url, {"post": "yes"})

    if role == "leader":
        assert response.status_code == 302
        assert Measure.objects.get(pk=measure.pk).archived_at is not None
    else:
        assert_forbidden(response, role)
        assert snapshot(measure) == before


@pytest.mark.parametrize("role", ["owner", "steering", "no_role", "anonymous"])
def test_delete_view_get_is_refused(client_for, own_measure, role):
    url = reverse("admin:measures_measure_delete", args=[own_measure.pk])

    assert_forbidden(client_for(role).get(url), role)


def test_the_leader_sees_the_archive_confirmation(client_for, own_measure):
    url = reverse("admin:measures_measure_delete", args=[own_measure.pk])

    response = client_for("leader").get(url)

    assert response.status_code == 200
    assert "Ja, arkiver" in response.content.decode()


ACTIONS = {
    # action: (state before, the field it changes, its value afterwards)
    "publish": ({"is_published": False}, "is_published", True),
    "unpublish": ({"is_published": True}, "is_published", False),
    "archive": ({}, "archived_at", "set"),
}


def _run_action(client, action: str, measure: Measure):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [measure.pk], "index": "0"}
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_bulk_action_changes_only_what_the_role_may(client_for, measures, role, target, action):
    measure = measures[target]
    state, field, after = ACTIONS[action]
    Measure.objects.filter(pk=measure.pk).update(**state)
    before = snapshot(measure)

    response = _run_action(client_for(role), action, measure)

    if role == "leader":
        assert response.status_code == 302
        value = getattr(Measure.objects.get(pk=measure.pk), field)
        assert (value is not None) if after == "set" else (value is after)
    else:
        assert snapshot(measure) == before
        if role in {"no_role", "anonymous"}:
            assert_forbidden(response, role)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["owner", "steering"])
def test_a_forbidden_bulk_action_answers_403(client_for, own_measure, role, action):
    response = _run_action(client_for(role), action, own_measure)

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["owner", "steering"])
def test_the_changelist_offers_no_action_to_readers(client_for, measures, role):
    response = client_for(role).get(CHANGELIST)

    assert (
        response.context["action_form"] is None
        or [
            name
            for name, _label in response.context["action_form"].fields["action"].choices
            if name
        ]
        == []
    )


def test_the_changelist_offers_the_leader_publish_unpublish_archive_but_no_delete(
    client_for, measures
):
    response = client_for("leader").get(CHANGELIST)

    choices = [n for n, _label in response.context["action_form"].fields["action"].choices if n]
    assert choices == ["publish", "unpublish", "archive"]


# «Oppdater status» ------------------------------------------------------------------------------


def status_post_data(measure: Measure, **overrides) -> dict:
    return {
        "status": "etter-plan",
        "progress": "30",
        "date": timezone.localdate().isoformat(),
        "comment": "Godt i gang.",
        "forecast_end": "",
        "expected_version": measure.version,
    } | overrides


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_status_view_get(client_for, measures, role, target):
    response = client_for(role).get(status_url(measures[target]))

    if may_update(role, target):
        assert response.status_code == 200
        assert "form" in response.context
    else:
        assert_forbidden(response, role)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_status_view_post(client_for, measures, role, target):
    measure = measures[target]
    before = snapshot(measure)

    response = client_for(role).post(status_url(measure), status_post_data(measure))

    if may_update(role, target):
        assert response.status_code == 302
        measure.refresh_from_db()
        assert (measure.status, measure.progress) == ("etter-plan", 30)
        assert measure.status_updates.count() == 1
    else:
        assert_forbidden(response, role)
        assert snapshot(measure) == before
        assert not StatusUpdate.objects.filter(measure=measure).exists()


def test_the_status_view_of_a_missing_measure_is_404(client_for):
    response = client_for("leader").get("/admin/measures/measure/999999/status/")

    assert response.status_code == 404


# Import -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_import_view(client_for, other_measure, role):
    csv_file = SimpleUploadedFile(
        "plan.csv",
        f"tittel,satsingsomrade,sammendrag\nImportert,{other_measure.focus_area.name},Kort.\n".encode(),
        content_type="text/csv",
    )
    count = Measure.objects.count()

    get_response = client_for(role).get(IMPORT)
    response = client_for(role).post(IMPORT, {"file": csv_file, "_preview": "Sjekk filen"})

    if role == "leader":
        assert get_response.status_code == 200
        assert response.status_code == 200
        assert response.context["payload"]
    else:
        assert_forbidden(get_response, role)
        assert_forbidden(response, role)
    assert Measure.objects.count() == count  # a preview never writes


@pytest.mark.parametrize("role", ["owner", "steering", "no_role"])
def test_import_confirm_is_refused_to_others(client_for, other_measure, role):
    leader = client_for("leader")
    csv_file = SimpleUploadedFile(
        "plan.csv",
        f"tittel,satsingsomrade,sammendrag\nImportert,{other_measure.focus_area.name},Kort.\n".encode(),
    )
    payload = leader.post(IMPORT, {"file": csv_file}).context["payload"]

    response = client_for(role).post(IMPORT, {"_confirm": "Importer", "payload": payload})

    assert response.status_code == 403
    assert not Measure.objects.filter(title="Importert").exists()


# History ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_history_view(client_for, measures, role, target):
    url = reverse("admin:measures_measure_history", args=[measures[target].pk])

    response = client_for(role).get(url)

    if role in READERS:
        assert response.status_code == 200
    else:
        assert_forbidden(response, role)


def _revert_url(measure: Measure, record) -> str:
    return reverse("admin:measures_measure_simple_history", args=[measure.pk, record.history_id])


def test_the_steering_group_cannot_revert_a_measure_from_its_history(client_for, other_measure):
    first = other_measure.history.earliest()
    client_for("leader").post(
        change_url(other_measure),
        form_data(client_for("leader").get(change_url(other_measure)), "measure_form")
        | {"title": "Tittel etter endring"},
    )
    before = snapshot(other_measure)

    response = client_for("steering").post(_revert_url(other_measure, first), {})

    assert snapshot(other_measure) == before
    assert response.status_code == 403


def test_an_owner_cannot_republish_their_measure_by_reverting(client_for, own_measure):
    leader = client_for("leader")
    leader.post(CHANGELIST, {"action": "unpublish", "_selected_action": [own_measure.pk]})
    published = own_measure.history.filter(is_published=True).earliest()
    assert not Measure.objects.get(pk=own_measure.pk).is_published

    client_for("owner").post(_revert_url(own_measure, published), {})

    assert not Measure.objects.get(pk=own_measure.pk).is_published


def test_the_revert_page_is_not_shown_to_staff_without_a_role(client_for, other_measure):
    response = client_for("no_role").get(_revert_url(other_measure, other_measure.history.first()))

    assert response.status_code == 403


# Indicators and their values ----------------------------------------------------------------------


def _indicator_url(indicator) -> str:
    return reverse("admin:measures_indicator_change", args=[indicator.pk])


def _with_new_value(data: dict, date: dt.date, value: str) -> dict:
    total = int(data["values-TOTAL_FORMS"])
    index = total - 1  # the empty extra form
    return data | {
        f"values-{index}-date": date.strftime("%d.%m.%Y"),
        f"values-{index}-value": value,
        f"values-{index}-note": "Telt opp",
    }


def test_an_owner_adds_a_value_on_their_own_measures_indicator(client_for, owner, own_indicator):
    client = client_for("owner")
    page = client.get(_indicator_url(own_indicator))
    assert page.status_code == 200
    data = _with_new_value(form_data(page, "indicator_form"), dt.date(2025, 3, 1), "42")

    response = client.post(_indicator_url(own_indicator), data)

    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=own_indicator)
    assert (value.date, str(value.value)) == (dt.date(2025, 3, 1), "42.00")


def test_an_owner_cannot_add_a_value_on_another_measures_indicator(
    client_for, own_indicator, other_indicator
):
    # The form of their own indicator gives valid management data for the inline.
    data = _with_new_value(
        form_data(client_for("owner").get(_indicator_url(own_indicator)), "indicator_form"),
        dt.date(2025, 3, 1),
        "42",
    )
    assert client_for("owner").get(_indicator_url(other_indicator)).status_code == 200  # may read

    response = client_for("owner").post(_indicator_url(other_indicator), data)

    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_an_owner_cannot_change_the_indicator_itself(client_for, own_indicator):
    data = form_data(client_for("leader").get(_indicator_url(own_indicator)), "indicator_form")
    data["name"] = "Nytt navn"

    response = client_for("owner").post(_indicator_url(own_indicator), data)

    assert response.status_code == 302
    own_indicator.refresh_from_db()
    assert own_indicator.name == "Deltakere på eget tiltak"


@pytest.mark.parametrize("role", ROLES)
def test_the_standalone_indicator_value_add_view_is_for_the_leader(client_for, own_indicator, role):
    url = reverse("admin:measures_indicatorvalue_add")
    data = {"indicator": own_indicator.pk, "date": "01.03.2025", "value": "7", "note": ""}

    get_response = client_for(role).get(url)
    response = client_for(role).post(url, data)

    if role == "leader":
        assert get_response.status_code == 200
        assert response.status_code == 302
        assert IndicatorValue.objects.filter(indicator=own_indicator).count() == 1
    else:
        assert_forbidden(get_response, role)
        assert_forbidden(response, role)
        assert not IndicatorValue.objects.exists()


def test_an_owner_cannot_move_their_value_to_another_measures_indicator(
    client_for, own_indicator, other_indicator
):
    value = IndicatorValueFactory(indicator=own_indicator, date=dt.date(2025, 1, 1))
    url = reverse("admin:measures_indicatorvalue_change", args=[value.pk])
    data = form_data(client_for("owner").get(url), "indicatorvalue_form")
    data["indicator"] = other_indicator.pk

    client_for("owner").post(url, data)

    value.refresh_from_db()
    assert value.indicator_id == own_indicator.pk


def test_an_owner_cannot_change_a_value_of_another_measure(client_for, other_indicator):
    value = IndicatorValueFactory(indicator=other_indicator, value="5")
    url = reverse("admin:measures_indicatorvalue_change", args=[value.pk])

    response = client_for("owner").post(
        url, {"indicator": other_indicator.pk, "date": "01.03.2025", "value": "99"}
    )

    assert response.status_code == 403
    value.refresh_from_db()
    assert str(value.value) == "5.00"
