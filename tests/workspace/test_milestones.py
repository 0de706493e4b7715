"""Min side's milestones and decisions: the role matrix of every URL, what each action writes
(history included), the forms' messages, htmx in place, and the steering group's «Til
beslutning»."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from measures.models import Decision, Measure, Milestone
from tests.conftest import plain
from tests.measures.factories import DecisionFactory, MeasureFactory, MilestoneFactory
from tests.workspace.conftest import ROLES, is_login_redirect

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]

# May the role record a decision?
MAY_RECORD = {"leader": True, "steering": True}


def may_edit(role: str, whose: str) -> bool:
    """May the role change the milestones of the measure / ask for a decision about it? The
    owner owns `own` and co-owns `co_owned`; `other_owner` owns `other`."""
    return (
        role == "leader"
        or (role == "owner" and whose != "other")
        or (role == "other_owner" and whose == "other")
    )


def base(measure: Measure) -> str:
    return f"/min-side/tiltak/{measure.slug}/milepaeler/"


def state(measure: Measure) -> list[tuple[Any, ...]]:
    return list(
        Milestone.objects.filter(measure=measure).values_list(
            "pk", "title", "due_date", "completed_on", "order"
        )
    )


def decisions(measure: Measure) -> list[tuple[Any, ...]]:
    return list(
        Decision.objects.filter(measure=measure).values_list("pk", "decided_on", "decision")
    )


def milestone_requests(
    measure: Measure, milestone: Milestone
) -> list[tuple[str, str, dict[str, str]]]:
    """(method, path, data) of every milestone URL, writes with valid data."""
    one = f"{base(measure)}{milestone.pk}/"
    return [
        ("get", base(measure), {}),
        ("post", base(measure), {"ny-title": "Ny milepæl", "ny-due_date": "2030-01-01"}),
        ("get", one, {}),
        (
            "post",
            one,
            {"title": "Endret", "due_date": "2030-02-01", "completed_on": "", "order": "3"},
        ),
        ("post", f"{one}nadd/", {"done": "1"}),
        ("post", f"{one}flytt/", {"direction": "ned"}),
        ("get", f"{one}slett/", {}),
        ("post", f"{one}slett/", {}),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", ["own", "co_owned", "other"])
def test_milestone_role_matrix(client_for, measures, role, whose):
    measure = measures[whose]
    for method, path, data in milestone_requests(measure, MilestoneFactory(measure=measure)):
        MilestoneFactory(measure=measure)  # a second one, so moving moves something
        before = state(measure)
        response = getattr(client_for(role), method)(path, data)
        if role == "anonymous":
            assert is_login_redirect(response, path), (method, path)
        elif may_edit(role, whose):
            assert response.status_code in (200, 302), (role, method, path)
            if method == "post":
                assert state(measure) != before, (role, path)
            continue
        else:
            assert response.status_code == 403, (role, method, path)
        assert state(measure) == before


def test_a_milestone_of_another_measure_is_404_under_this_one(client_for, measures):
    theirs = MilestoneFactory(measure=measures["other"])
    client = client_for("owner")

    response = client.post(f"{base(measures['own'])}{theirs.pk}/nadd/", {"done": "1"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.completed_on is None


def test_owner_adds_ticks_off_moves_and_deletes(client_for, own_measure, owner):
    client = client_for("owner")

    added = client.post(
        base(own_measure), {"ny-title": "Avtale signert", "ny-due_date": "2030-01-15"}
    )
    first = Milestone.objects.get(measure=own_measure)
    assert added["Location"] == f"{base(own_measure)}#milepael-{first.pk}"
    client.post(base(own_measure), {"ny-title": "Første samling", "ny-due_date": "2030-03-01"})
    second = Milestone.objects.get(title="Første samling")
    assert [m.title for m in own_measure.milestones.all()] == ["Avtale signert", "Første samling"]

    page = plain(client.get(base(own_measure)).content.decode())
    assert "Kommende frist 15.01.2030" in page

    client.post(f"{base(own_measure)}{first.pk}/nadd/", {"done": "1"})
    first.refresh_from_db()
    assert first.completed_on == timezone.localdate()
    assert first.history.latest().history_user == owner

    client.post(f"{base(own_measure)}{second.pk}/flytt/", {"direction": "opp"})
    assert [m.title for m in own_measure.milestones.all()] == ["Første samling", "Avtale signert"]

    client.post(f"{base(own_measure)}{first.pk}/nadd/", {"done": "0"})
    first.refresh_from_db()
    assert first.completed_on is None

    client.post(f"{base(own_measure)}{first.pk}/slett/")
    assert list(own_measure.milestones.all()) == [second]
    assert Milestone.history.filter(id=first.pk, history_type="-").get().history_user == owner


def test_the_add_form_names_what_is_wrong(client_for, own_measure):
    response = client_for("owner").post(base(own_measure), {"ny-title": " ", "ny-due_date": ""})

    assert response.status_code == 200
    text = plain(response.content.decode())
    assert "Det er noe som må rettes" in text
    assert "Milepæl: Feltet er påkrevet." in text
    assert "Frist: Feltet er påkrevet." in text
    assert not Milestone.objects.exists()


def test_the_edit_form_refuses_done_in_the_future(client_for, own_measure):
    milestone = MilestoneFactory(measure=own_measure)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_for("owner").post(
        f"{base(own_measure)}{milestone.pk}/",
        {
            "title": milestone.title,
            "due_date": "2030-01-01",
            "completed_on": tomorrow.isoformat(),
            "order": "0",
        },
    )

    assert response.status_code == 200
    assert "fram i tid" in plain(response.content.decode())
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_late_milestones_are_said_to_be_late_in_text(client_for, own_measure):
    MilestoneFactory(measure=own_measure, title="Rapport levert", due_date=dt.date(2020, 5, 1))

    text = plain(client_for("owner").get(base(own_measure)).content.decode())

    assert "Forsinket frist 01.05.2020" in text


def test_htmx_ticks_off_in_place(client_for, own_measure):
    milestone = MilestoneFactory(measure=own_measure, title="Avtale")

    response = client_for("owner").post(
        f"{base(own_measure)}{milestone.pk}/nadd/", {"done": "1"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="milestone-list"')
    assert "<h1" not in html
    assert "Angre «nådd»" in html
    assert (
        '<p id="milestone-notice" class="visually-hidden" role="status" hx-swap-oob="true">'
        "Milepælen «Avtale» er markert som nådd.</p>" in html
    )


# --- Decisions ----------------------------------------------------------------------------------


def decision_url(measure: Measure) -> str:
    return f"/min-side/tiltak/{measure.slug}/beslutning/"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", ["own", "other"])
def test_decision_role_matrix(client_for, measures, role, whose):
    measure = measures[whose]
    pending = DecisionFactory(measure=measure)
    path = decision_url(measure)
    client = client_for(role)
    may_ask = may_edit(role, whose)
    may_record = role in MAY_RECORD

    read = client.get(path)
    before = decisions(measure)
    asked = client.post(path, {"ny-question": "Skal vi forlenge?"})
    after_ask = decisions(measure)
    prefix = f"beslutning-{pending.pk}"
    recorded = client.post(
        path,
        {
            "record": str(pending.pk),
            f"{prefix}-decided_on": timezone.localdate().isoformat(),
            f"{prefix}-decision": "Forlenget.",
        },
    )
    pending.refresh_from_db()

    if role == "anonymous":
        assert is_login_redirect(read, path)
        assert is_login_redirect(asked, path) and is_login_redirect(recorded, path)
        assert decisions(measure) == before
        return
    assert read.status_code == (200 if may_ask or may_record else 403), role
    assert asked.status_code == (302 if may_ask else 403), role
    assert (len(after_ask) == len(before) + 1) is may_ask
    assert recorded.status_code == (302 if may_record else 403), role
    assert (pending.decision == "Forlenget.") is may_record


def test_owner_asks_and_the_steering_group_records(client_for, own_measure, steering):
    client_for("owner").post(
        decision_url(own_measure), {"ny-question": "Skal tiltaket utvides til Narvik?"}
    )
    decision = Decision.objects.get(measure=own_measure)
    assert decision.is_pending

    home = plain(client_for("steering").get("/min-side/").content.decode())
    assert "Til beslutning" in home
    assert "Skal tiltaket utvides til Narvik?" in home
    assert "Eget tiltak" in home
    assert f'href="{decision_url(own_measure)}#beslutning-{decision.pk}"' in (
        client_for("steering").get("/min-side/").content.decode()
    )

    page = client_for("steering").get(decision_url(own_measure))
    assert "Registrer beslutningen" in plain(page.content.decode())
    prefix = f"beslutning-{decision.pk}"
    client_for("steering").post(
        decision_url(own_measure),
        {
            "record": str(decision.pk),
            f"{prefix}-decided_on": "2025-02-01",
            f"{prefix}-decision": "Ja.",
        },
    )
    decision.refresh_from_db()
    assert (decision.decided_on, decision.decision, decision.decided_by) == (
        dt.date(2025, 2, 1),
        "Ja.",
        steering,
    )
    home = plain(client_for("steering").get("/min-side/").content.decode())
    assert "Ingenting venter på beslutning nå." in home


def test_recording_needs_date_and_text(client_for, own_measure):
    decision = DecisionFactory(measure=own_measure)
    prefix = f"beslutning-{decision.pk}"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = client_for("leader").post(
        decision_url(own_measure),
        {"record": str(decision.pk), f"{prefix}-decided_on": tomorrow, f"{prefix}-decision": ""},
    )

    assert response.status_code == 200
    text = plain(response.content.decode())
    assert "er fram i tid" in text
    decision.refresh_from_db()
    assert decision.is_pending


def test_the_owners_home_links_milestones_and_decision_and_flags_late(client_for, own_measure):
    MilestoneFactory(measure=own_measure, due_date=dt.date(2020, 1, 1))
    DecisionFactory(measure=own_measure)

    response = client_for("owner").get("/min-side/")
    html = response.content.decode()
    text = plain(html)

    assert f'href="{base(own_measure)}"' in html
    assert f'href="{decision_url(own_measure)}"' in html
    assert "1 milepæl er forsinket" in text
    assert "Venter på beslutning fra styringsgruppen" in text


def test_home_query_count_does_not_grow_with_milestones(client_for, owner_person):
    client = client_for("owner")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/min-side/").status_code == 200
        return len(queries)

    measure = MeasureFactory(responsible=owner_person)
    MilestoneFactory(measure=measure, due_date=dt.date(2020, 1, 1))
    few = count()
    for _ in range(5):
        other = MeasureFactory(responsible=owner_person)
        MilestoneFactory.create_batch(3, measure=other, due_date=dt.date(2020, 1, 1))
        DecisionFactory(measure=other)
    assert count() == few
