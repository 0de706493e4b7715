"""Privacy: e-mail addresses deleted 90 days after the answer, the /personvern/ page, and no
input in the open data."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from participation.models import InputState, PublicInput
from tests.conftest import EXPORTS, Portal, plain
from tests.participation.factories import PublicInputFactory


def make(portal: Portal, *, answered_days: int | None = None, **kwargs: object) -> PublicInput:
    now = timezone.now()
    item = PublicInputFactory(measure=portal.measure, **kwargs)
    if answered_days is not None:
        item.state = InputState.APPROVED
        item.decided_at = now - dt.timedelta(days=answered_days)
        item.answer = "Et svar."
        item.answered_at = now - dt.timedelta(days=answered_days)
        item.save()
    return item


def test_command_deletes_addresses_answered_over_90_days_ago_only(portal):
    old = make(portal, answered_days=91)
    recent = make(portal, answered_days=89)
    unanswered = make(portal)
    PublicInput.objects.filter(pk=unanswered.pk).update(
        created_at=timezone.now() - dt.timedelta(days=400)
    )
    out = StringIO()
    call_command("delete_input_emails", stdout=out)
    assert "1 innspill" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    unanswered.refresh_from_db()
    assert old.email == ""
    assert old.email_deleted_at is not None
    # The rest of the input stays, and its answer.
    assert old.text and old.answer == "Et svar."
    assert recent.email == "ola@example.org"
    assert unanswered.email == "ola@example.org"
    # Running again finds nothing more.
    call_command("delete_input_emails", stdout=StringIO())
    recent.refresh_from_db()
    assert recent.email == "ola@example.org"


def test_rejected_input_without_answer_loses_its_address_90_days_after_the_decision(
    portal,
):
    item = make(portal)
    item.state = InputState.REJECTED
    item.decided_at = timezone.now() - dt.timedelta(days=91)
    item.save()
    call_command("delete_input_emails", stdout=StringIO())
    item.refresh_from_db()
    assert item.email == ""


def test_privacy_page(client, portal):
    response = client.get("/personvern/")
    assert response.status_code == 200
    text = plain(response.content.decode())
    assert "Personvern" in text
    assert "E-postadressen slettes 90 dager etter at innspillet er besvart" in text
    assert "Hvorfor" in text and "Hvor lenge" in text
    # Linked from every page's form and its receipt.
    assert "/personvern/" in client.get(f"/tiltak/{portal.measure.slug}/").content.decode()


def test_input_is_never_in_the_open_data(client, portal):
    item = make(portal, answered_days=1, text="Åpne data-test JKL", name="Navn Navnesen")
    assert item.state == InputState.APPROVED
    for url in EXPORTS:
        body = client.get(url).content.decode()
        assert "JKL" not in body, url
        assert "Navnesen" not in body, url
        assert "ola@example.org" not in body, url


def test_measure_page_queries_stay_constant_with_many_inputs(
    client, portal, settings, django_assert_max_num_queries, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = f"/tiltak/{portal.measure.slug}/"
    make(portal, answered_days=1)
    with django_assert_max_num_queries(12) as one:
        assert client.get(url).status_code == 200
    for _n in range(30):
        make(portal, answered_days=1)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.content.decode().count('class="input-item"') == 31
