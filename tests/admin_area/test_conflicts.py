"""Conflict safety on the measure form, and the sanitised preview that saves nothing."""

from __future__ import annotations

import re
import threading

import pytest
from django import forms
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from measures.admin.forms import MeasureAdminForm
from measures.models import Measure
from measures.services import FieldChange, MeasureConflictError, measure_save
from tests.admin_area.conftest import form_data, page_text, snapshot
from tests.conftest import TestResponse
from tests.measures.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def change_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_change", args=[measure.pk])


@pytest.fixture
def client_b(second_leader: User) -> Client:
    client = Client()
    client.force_login(second_leader)
    return client


def test_the_second_save_is_refused_and_shows_the_other_persons_change(
    client_for, client_b, other_measure
):
    url = change_url(other_measure)
    client_a = client_for("leader")
    form_a = form_data(client_a.get(url), "measure_form")
    assert int(form_a["expected_version"]) == other_measure.version
    form_b = form_data(client_b.get(url), "measure_form")
    assert client_b.post(url, form_b | {"title": "Tittel fra B"}).status_code == 302

    response = client_a.post(url, form_a | {"summary": "Sammendrag fra A."})

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Endringene dine er ikke lagret" in errors
    assert "Bjørn Nestleder" in errors
    assert "tittel: «Andres tiltak» → «Tittel fra B»" in errors
    assert "«Andres tiltak» → «Tittel fra B»" in page_text(response)  # shown on the page
    stored = Measure.objects.get(pk=other_measure.pk)
    assert stored.title == "Tittel fra B"
    assert stored.summary == other_measure.summary


def test_the_refused_form_keeps_what_the_user_typed(client_for, client_b, other_measure):
    url = change_url(other_measure)
    client_a = client_for("leader")
    form_a = form_data(client_a.get(url), "measure_form")
    client_b.post(url, form_data(client_b.get(url), "measure_form") | {"title": "Tittel fra B"})

    response = client_a.post(url, form_a | {"summary": "Sammendrag fra A."})

    assert form_data(response, "measure_form")["summary"] == "Sammendrag fra A."


def test_a_save_racing_past_the_form_check_is_refused_by_the_service(
    client_for, client_b, other_measure, monkeypatch
):
    """The form's check and the save are not atomic; the service's locked check catches the rest."""
    url = change_url(other_measure)
    client_a = client_for("leader")
    form_a = form_data(client_a.get(url), "measure_form")
    client_b.post(url, form_data(client_b.get(url), "measure_form") | {"title": "Tittel fra B"})
    monkeypatch.setattr(MeasureAdminForm, "clean", lambda self: forms.ModelForm.clean(self))
    before = snapshot(other_measure)

    response = client_a.post(url, form_a | {"title": "Tittel fra A"})

    assert response.status_code == 302
    assert response["Location"] == url  # back to the form, with the messages below
    assert snapshot(other_measure) == before
    page = client_a.get(url)
    text = page_text(page)
    assert "endret av noen andre" in text
    assert "«Andres tiltak» → «Tittel fra B»" in text


def test_measure_save_refuses_a_stale_version(leader, second_leader):
    measure = MeasureFactory(title="Original")
    stale = Measure.objects.get(pk=measure.pk)
    fresh = Measure.objects.get(pk=measure.pk)
    fresh.title = "Fra B"
    measure_save(measure=fresh, expected_version=1, user=second_leader)
    stale.title = "Fra A"

    with pytest.raises(MeasureConflictError) as caught:
        measure_save(measure=stale, expected_version=1, user=leader)

    (change,) = caught.value.changes
    assert change.version == 2
    assert change.user == "Bjørn Nestleder"
    assert FieldChange(field="tittel", old="Original", new="Fra B") in change.fields
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.title, stored.version) == ("Fra B", 2)


def test_measure_save_with_the_current_version_saves_and_counts_up(leader):
    measure = MeasureFactory(title="Original")
    measure.title = "Ny"

    measure_save(measure=measure, expected_version=1, user=leader)

    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.title, stored.version) == ("Ny", 2)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_one_version_let_exactly_one_through(leader, second_leader):
    """Real concurrency: two connections save the same version at once (locked on PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database answers a second writer «locked»")
    measure = MeasureFactory(title="Original")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(title: str, user: User) -> None:
        copy = Measure.objects.get(pk=measure.pk)
        copy.title = title
        barrier.wait()
        try:
            measure_save(measure=copy, expected_version=1, user=user)
            outcomes[title] = "saved"
        except MeasureConflictError:
            outcomes[title] = "refused"
        except Exception as error:  # reported by the assertion below
            outcomes[title] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("Fra A", leader)),
        threading.Thread(target=save, args=("Fra B", second_leader)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.title, stored.version) == (winner, 2)


# Preview ------------------------------------------------------------------------------------------

DESCRIPTION = (
    "Vi skal **samle** næringslivet.\n\n"
    "<script>alert('xss')</script>\n\n"
    '[Les mer](javascript:alert(1)) <img src=x onerror="alert(2)">'
)


def preview_section(response: TestResponse) -> str:
    match = re.search(r'<div class="preview-body">(.*?)</div>', response.content.decode(), re.S)
    assert match, "no preview on the page"
    return match.group(1)


def test_preview_renders_the_description_sanitised_and_saves_nothing(client_for, other_measure):
    url = change_url(other_measure)
    client = client_for("leader")
    data = form_data(client.get(url), "measure_form")
    before = snapshot(other_measure)

    response = client.post(
        url, data | {"description": DESCRIPTION, "title": "Ikke lagret", "_preview": "1"}
    )

    assert response.status_code == 200
    preview = preview_section(response)
    assert "<strong>samle</strong>" in preview
    for unsafe in ("<script", "javascript:", "onerror", "<img"):
        assert unsafe not in preview
    assert "Ingenting er lagret" in page_text(response)
    # The form keeps what was typed, so the user can go on editing.
    assert form_data(response, "measure_form")["description"] == DESCRIPTION
    assert snapshot(other_measure) == before


def test_preview_on_the_add_form_creates_nothing(client_for, other_measure):
    url = reverse("admin:measures_measure_add")
    client = client_for("leader")
    data = form_data(client.get(url), "measure_form") | {
        "title": "Nytt tiltak",
        "slug": "nytt-tiltak",
        "focus_area": other_measure.focus_area_id,
        "summary": "Kort.",
        "description": "**Fet** tekst",
        "_preview": "1",
    }
    count = Measure.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "<strong>Fet</strong>" in preview_section(response)
    assert Measure.objects.count() == count
