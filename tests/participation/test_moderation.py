"""Min side's input list: who sees what, the decisions and the answer, and what the public then
sees on the measure page and in its feed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import Measure
from participation.models import InputState, PublicInput
from participation.services import public_input_answer, public_input_decide
from tests.participation.factories import PublicInputFactory

LIST = "/min-side/innspill/"


@pytest.fixture
def inputs(measures: dict[str, Measure]) -> dict[str, PublicInput]:
    return {
        key: PublicInputFactory(measure=measure, text=f"Innspill til {key} ABC{key.upper()}")
        for key, measure in measures.items()
    }


def test_anonymous_is_sent_to_login(client_for, inputs):
    response = client_for("anonymous").get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    post = client_for("anonymous").post(f"{LIST}{inputs['own'].pk}/", {"action": "approve"})
    assert post.status_code == 302
    inputs["own"].refresh_from_db()
    assert inputs["own"].state == InputState.NEW


def test_owner_sees_input_on_own_and_co_owned_measures_only(client_for, inputs):
    html = client_for("owner").get(LIST).content.decode()
    assert "ABCOWN" in html
    assert "ABCCO_OWNED" in html
    assert "ABCOTHER" not in html
    # The sender's address is for answering: the owner sees it.
    assert "ola@example.org" in html


def test_leader_sees_all(client_for, inputs):
    html = client_for("leader").get(LIST).content.decode()
    for key in ("OWN", "CO_OWNED", "OTHER"):
        assert f"ABC{key}" in html


@pytest.mark.parametrize("role", ["steering", "no_role"])
def test_others_see_nothing(client_for, inputs, role):
    assert client_for(role).get(LIST).status_code == 403
    response = client_for(role).post(f"{LIST}{inputs['own'].pk}/", {"action": "approve"})
    assert response.status_code == 403
    inputs["own"].refresh_from_db()
    assert inputs["own"].state == InputState.NEW


def test_owner_may_not_decide_on_another_owners_input(client_for, inputs):
    response = client_for("owner").post(f"{LIST}{inputs['other'].pk}/", {"action": "approve"})
    assert response.status_code == 403
    inputs["other"].refresh_from_db()
    assert inputs["other"].state == InputState.NEW


@pytest.mark.parametrize("role", ["owner", "leader"])
def test_approve_reject_and_answer_are_recorded(client_for, inputs, users, role):
    client = client_for(role)
    item = inputs["own"]
    url = f"{LIST}{item.pk}/"
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert (
        client.post(url, {"action": "answer", "answer": "Takk, vi tar det med."}).status_code == 302
    )
    assert client.post(url, {"action": "reject"}).status_code == 302
    item.refresh_from_db()
    assert item.state == InputState.REJECTED
    assert item.decided_by == users[role]
    assert item.answered_by == users[role]
    history = list(
        item.history.order_by("history_date").values_list("state", "answer", "history_user")
    )
    assert [h[0] for h in history] == ["ny", "godkjent", "godkjent", "avvist"]
    assert history[2][1] == "Takk, vi tar det med."
    assert all(h[2] == users[role].pk for h in history[1:])


def test_the_history_never_holds_the_email(inputs):
    field_names = {f.name for f in PublicInput.history.model._meta.get_fields()}
    assert "email" not in field_names
    assert "name" in field_names


def test_the_answer_is_emailed_to_the_sender(
    client_for, inputs, django_capture_on_commit_callbacks
):
    item = inputs["own"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("owner").post(
            f"{LIST}{item.pk}/", {"action": "answer", "answer": "Vi ringer deg."}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ola@example.org"]
    assert "Vi ringer deg." in mail.outbox[0].body


def test_an_empty_answer_is_refused(client_for, inputs):
    client = client_for("owner")
    response = client.post(
        f"{LIST}{inputs['own'].pk}/", {"action": "answer", "answer": " "}, follow=True
    )
    assert "Svaret ble ikke lagret" in response.content.decode()
    inputs["own"].refresh_from_db()
    assert inputs["own"].answer == ""


def test_an_unknown_action_is_refused(client_for, inputs):
    assert (
        client_for("leader").post(f"{LIST}{inputs['own'].pk}/", {"action": "x"}).status_code == 400
    )
    assert client_for("leader").post(f"{LIST}999999/", {"action": "approve"}).status_code == 404


def test_min_side_counts_new_input(client_for, inputs):
    html = client_for("owner").get("/min-side/").content.decode()
    assert LIST in html
    assert "2 nye innspill fra publikum venter" in html
    leader = client_for("leader").get("/min-side/").content.decode()
    assert "3 nye innspill fra publikum venter" in leader
    steering = client_for("steering").get("/min-side/").content.decode()
    assert LIST not in steering


def test_approved_input_and_answer_show_on_the_page_and_in_the_feed(client, portal, leader):
    approved = PublicInputFactory(measure=portal.measure, text="Godkjent tekst QWE", name="Kari")
    rejected = PublicInputFactory(measure=portal.measure, text="Avvist tekst RTY")
    new = PublicInputFactory(measure=portal.measure, text="Ny tekst UIO")
    public_input_decide(public_input=approved, state=InputState.APPROVED, user=leader)
    public_input_answer(public_input=approved, answer="Svar fra tiltaket ASD", user=leader)
    public_input_decide(public_input=rejected, state=InputState.REJECTED, user=leader)
    page = client.get(f"/tiltak/{portal.measure.slug}/").content.decode()
    feed = client.get(f"/tiltak/{portal.measure.slug}/feed/").content.decode()
    for html in (page, feed):
        assert "Godkjent tekst QWE" in html
        assert "Svar fra tiltaket ASD" in html
        assert "Avvist tekst RTY" not in html
        assert "Ny tekst UIO" not in html
        assert "ola@example.org" not in html
    assert f"innspill/{approved.pk}</id>" in feed
    assert new.state == InputState.NEW


def test_an_approval_is_seen_at_once_through_the_page_cache(client, portal, leader, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    item = PublicInputFactory(measure=portal.measure, text="Snart synlig ZXC")
    assert "Snart synlig ZXC" not in client.get(f"/tiltak/{portal.measure.slug}/").content.decode()
    public_input_decide(public_input=item, state=InputState.APPROVED, user=leader)
    assert "Snart synlig ZXC" in client.get(f"/tiltak/{portal.measure.slug}/").content.decode()


def test_the_list_stays_within_a_constant_number_of_queries(
    client_for, measures, users, django_assert_num_queries
):
    client = client_for("leader")
    for measure in measures.values():
        PublicInputFactory(measure=measure)
    client.get(LIST)  # the session and the permissions are warm from here on
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for measure in measures.values():
        for _n in range(10):
            item = PublicInputFactory(measure=measure)
            public_input_decide(public_input=item, state=InputState.APPROVED, user=users["owner"])
    with django_assert_num_queries(len(few)):
        response = client.get(LIST)
    assert response.content.decode().count('class="input-item"') == 33
