"""The role matrix of Min side: every URL × anonymous, the owner of the measure, the owner of
another measure, the project leader, the steering group and a user without a role.

Anonymous visitors go to /logg-inn/?next=…; a logged-in user who may not touch the measure gets
403 (a Norwegian page), whether or not the measure is public; a measure that does not exist or is
archived is 404 for everyone. A refused POST changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from measures.models import IndicatorValue, Measure
from measures.status import Status
from tests.conftest import headings
from tests.workspace.conftest import ROLES, is_login_redirect

pytestmark = pytest.mark.django_db

# May the role work on `own_measure` (and on `co_owned_measure`)?
MAY_WORK_ON_OWN = {
    "anonymous": False,
    "owner": True,
    "other_owner": False,
    "leader": True,
    "steering": False,
    "no_role": False,
}
TASKS = ["status", "beskrivelse", "indikatorer"]


def url(measure: Measure, task: str, language: str = "") -> str:
    return f"{language}/min-side/tiltak/{measure.slug}/{task}/"


def snapshot(measure: Measure) -> dict[str, Any]:
    row = Measure.objects.get(pk=measure.pk)
    return {
        **model_to_dict(row),
        "version": row.version,
        "history": row.history.count(),
        "status_updates": row.status_updates.count(),
        "values": IndicatorValue.objects.filter(indicator__measure=row).count(),
    }


def posts(measure: Measure, indicator: Any) -> dict[str, dict[str, str]]:
    """A valid POST for each task, as the form would send it."""
    today = timezone.localdate().isoformat()
    prefix = f"indikator-{indicator.pk}"
    return {
        "status": {
            "status": Status.DELAYED,
            "progress": "50",
            "date": today,
            "forecast_end": "",
            "comment": "Forsinket av været.",
            "expected_version": str(measure.version),
        },
        "beskrivelse": {
            "description": "Overskrevet av noen som ikke får lov.",
            "expected_version": str(measure.version),
            "_save": "1",
        },
        "indikatorer": {
            "indicator": str(indicator.pk),
            f"{prefix}-date": today,
            f"{prefix}-value": "5",
            f"{prefix}-note": "",
        },
    }


def test_min_side_needs_a_login_and_opens_for_every_role(client_for, measures):
    for role in ROLES:
        response = client_for(role).get("/min-side/")
        if role == "anonymous":
            assert is_login_redirect(response, "/min-side/")
        else:
            assert response.status_code == 200, role
            assert headings(response.content.decode()) == ["Min side"], role


def test_the_english_min_side_sends_visitors_to_the_english_login(client_for):
    response = client_for("anonymous").get("/en/min-side/")

    assert response.status_code == 302
    assert response["Location"] == "/en/logg-inn/?next=/en/min-side/"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("task", TASKS)
def test_reading_a_task_page_of_an_own_measure(client_for, measures, own_indicator, role, task):
    for key in ("own", "co_owned"):
        path = url(measures[key], task)
        response = client_for(role).get(path)
        if role == "anonymous":
            assert is_login_redirect(response, path)
        elif MAY_WORK_ON_OWN[role]:
            assert response.status_code == 200, (role, path)
        else:
            assert response.status_code == 403, (role, path)
            assert headings(response.content.decode()) == ["Ingen tilgang"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("task", TASKS)
def test_posting_a_task_of_an_own_measure(client_for, measures, own_indicator, role, task):
    measure = measures["own"]
    before = snapshot(measure)
    path = url(measure, task)

    response = client_for(role).post(path, posts(measure, own_indicator)[task])

    if role == "anonymous":
        assert is_login_redirect(response, path)
    elif MAY_WORK_ON_OWN[role]:
        assert response.status_code == 302, (role, response.content.decode()[-2000:])
        assert snapshot(measure) != before
        return
    else:
        assert response.status_code == 403
    assert snapshot(measure) == before


@pytest.mark.parametrize("role", ["owner", "other_owner", "steering", "no_role"])
@pytest.mark.parametrize("task", TASKS)
def test_nobody_but_its_owners_and_the_leader_touches_another_measure(
    client_for, measures, other_indicator, role, task
):
    measure = measures["other"]
    before = snapshot(measure)
    path = url(measure, task)
    client = client_for(role)
    may = role == "other_owner"  # it is theirs

    read = client.get(path)
    posted = client.post(path, posts(measure, other_indicator)[task])

    if may:
        assert (read.status_code, posted.status_code) == (200, 302)
    else:
        assert (read.status_code, posted.status_code) == (403, 403)
        assert snapshot(measure) == before


@pytest.mark.parametrize("task", TASKS)
def test_the_leader_works_on_any_measure(client_for, measures, other_indicator, task):
    measure = measures["other"]
    client = client_for("leader")

    assert client.get(url(measure, task)).status_code == 200
    assert client.post(url(measure, task), posts(measure, other_indicator)[task]).status_code == 302


@pytest.mark.parametrize("role", ["owner", "leader"])
@pytest.mark.parametrize("task", TASKS)
def test_an_archived_or_unknown_measure_is_404(client_for, own_measure, role, task):
    Measure.objects.filter(pk=own_measure.pk).update(archived_at=timezone.now())
    client = client_for(role)

    assert client.get(url(own_measure, task)).status_code == 404
    assert client.get(f"/min-side/tiltak/finnes-ikke/{task}/").status_code == 404


@pytest.mark.parametrize("task", TASKS)
def test_the_english_pages_are_guarded_the_same(client_for, measures, task):
    measure = measures["own"]
    assert client_for("owner").get(url(measure, task, "/en")).status_code == 200
    assert client_for("other_owner").get(url(measure, task, "/en")).status_code == 403
    path = url(measure, task, "/en")
    response = client_for("anonymous").get(path)
    assert response["Location"] == f"/en/logg-inn/?next={path}"


def test_the_login_and_logout_pages(client_for):
    for role in ROLES:
        response = client_for(role).get("/logg-inn/")
        if role == "anonymous":
            assert response.status_code == 200
        else:
            assert (response.status_code, response["Location"]) == (302, "/min-side/")
        assert client_for(role).get("/logg-ut/").status_code == 405  # POST only
        logout = client_for(role).post("/logg-ut/")
        assert (logout.status_code, logout["Location"]) == (302, "/")


@pytest.mark.parametrize(
    ("role", "may"),
    [("owner", True), ("leader", True), ("other_owner", False), ("steering", False)],
)
def test_the_description_rule(users, measures, role, may):
    assert users[role].has_perm("measures.edit_description_measure", measures["own"]) is may


@pytest.mark.parametrize(
    ("role", "may"),
    [("leader", True), ("owner", False), ("other_owner", False), ("steering", False)],
)
def test_only_the_leader_follows_the_whole_programme(users, role, may):
    assert users[role].has_perm("workspace.follow_programme") is may
