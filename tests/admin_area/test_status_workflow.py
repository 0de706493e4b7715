"""«Oppdater status» in the admin: the project leader reports a measure's status.

The measure owners report theirs on Min side, through the same service and rules
(tests/measures/test_services.py; the rule in tests/admin_area/test_permissions.py). «Mine
tiltak» left the admin's start page for Min side; its selector is tested in
tests/measures/test_selectors.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measures.admin.forms import StatusUpdateForm
from measures.models import Measure, StatusUpdate
from measures.services import status_update_create
from measures.status import Status
from tests.admin_area.conftest import form_data, page_text, snapshot
from tests.conftest import TestResponse
from tests.measures.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def status_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_status", args=[measure.pk])


def badge(response: TestResponse) -> str:
    """The status badge at the top of a public measure page."""
    match = re.search(r'<p class="measure__badge">(.*?)</p>', response.content.decode(), re.S)
    assert match, "no status badge on the page"
    return match.group(1)


@pytest.fixture
def second_client(second_leader: User) -> Client:
    """Another project leader, at the same time."""
    client = Client()
    client.force_login(second_leader)
    return client


def post_data(measure: Measure, **overrides: object) -> dict[str, object]:
    return {
        "status": Status.ON_TRACK,
        "progress": "30",
        "date": timezone.localdate().isoformat(),
        "comment": "Godt i gang.",
        "forecast_end": "",
        "expected_version": measure.version,
    } | overrides


def test_the_status_page_shows_the_previous_updates_and_the_form(client_for, own_measure):
    status_update_create(
        measure=own_measure,
        status=Status.ON_TRACK,
        progress=20,
        comment="Første samling er holdt.",
        date=dt.date(2025, 1, 10),
    )

    response = client_for("leader").get(status_url(own_measure))

    assert response.status_code == 200
    text = page_text(response)
    assert "Tidligere oppdateringer" in text
    assert "Første samling er holdt." in text
    data = form_data(response, field="expected_version")
    assert {"status", "progress", "date", "comment", "forecast_end"} <= set(data)
    assert int(data["expected_version"]) == Measure.objects.get(pk=own_measure.pk).version
    assert data["status"] == Status.ON_TRACK  # the current status is preselected
    assert data["progress"] == "20"


def test_saving_records_the_update_and_the_public_page_shows_it_at_once(
    client_for, leader, own_measure
):
    assert settings.PUBLIC_PAGE_CACHE_SECONDS > 0  # the page cache is on, as in production
    public = Client()
    page_url = own_measure.get_absolute_url()
    assert "status--ikke-startet" in badge(public.get(page_url))
    assert "status--ikke-startet" in badge(public.get(page_url))  # now served from the cache
    version = own_measure.version

    response = client_for("leader").post(
        status_url(own_measure),
        post_data(
            own_measure,
            status=Status.DELAYED,
            progress="35",
            comment="Leverandøren er tre uker forsinket.",
            date=timezone.localdate().isoformat(),
            forecast_end="2026-06-30",
        ),
    )

    assert response.status_code == 302
    # Back to the measure, whose timeline now starts with the update.
    assert response["Location"] == reverse("admin:measures_measure_change", args=[own_measure.pk])
    update = StatusUpdate.objects.get(measure=own_measure)
    assert (update.status, update.progress, update.previous_status) == (
        Status.DELAYED,
        35,
        Status.NOT_STARTED,
    )
    assert update.comment == "Leverandøren er tre uker forsinket."
    assert update.date == timezone.localdate()
    assert update.forecast_end == dt.date(2026, 6, 30)
    assert update.author == leader
    assert update.author_name == "Sigrid Leder"  # the login's name: no person is linked to it
    own_measure.refresh_from_db()
    assert (own_measure.status, own_measure.progress) == (Status.DELAYED, 35)
    assert own_measure.forecast_end == dt.date(2026, 6, 30)
    assert own_measure.version == version + 1
    assert own_measure.last_status_update_at is not None

    page = public.get(page_url)
    assert page.status_code == 200
    assert "status--forsinket" in badge(page)
    assert "Leverandøren er tre uker forsinket." in page.content.decode()
    assert "Rapportert av Sigrid Leder" in page.content.decode()


def test_the_measure_page_confirms_the_saved_update(client_for, own_measure):
    response = client_for("leader").post(
        status_url(own_measure), post_data(own_measure), follow=True
    )

    assert "Statusen for «Eget tiltak» er oppdatert" in page_text(response)
    assert response.context["original"] == own_measure


@pytest.mark.parametrize("status", [Status.DELAYED, Status.STOPPED])
@pytest.mark.parametrize("comment", ["", "   "])
def test_a_delayed_or_stopped_status_needs_a_comment(client_for, own_measure, status, comment):
    before = snapshot(own_measure)

    response = client_for("leader").post(
        status_url(own_measure), post_data(own_measure, status=status, comment=comment)
    )

    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    assert snapshot(own_measure) == before
    assert not StatusUpdate.objects.exists()


def test_an_update_dated_in_the_future_is_refused(client_for, own_measure):
    before = snapshot(own_measure)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_for("leader").post(
        status_url(own_measure), post_data(own_measure, date=tomorrow.isoformat())
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert snapshot(own_measure) == before


def test_a_completed_measure_cannot_change_status(client_for, owner_person):
    measure = MeasureFactory(status=Status.COMPLETED, responsible=owner_person)
    before = snapshot(measure)
    client = client_for("leader")

    page = client.get(status_url(measure))
    response = client.post(status_url(measure), post_data(measure, status=Status.ON_TRACK))

    assert page.status_code == 200
    assert "Statusen kan ikke endres" in page_text(page)
    assert "Lagre statusoppdatering" not in page.content.decode()
    assert response.status_code == 200
    assert snapshot(measure) == before
    assert not StatusUpdate.objects.exists()


def test_a_stale_status_form_is_refused_and_names_what_changed(
    client_for, second_client, own_measure
):
    other = second_client
    stale = form_data(other.get(status_url(own_measure)), field="expected_version")
    # Meanwhile the other project leader reports a status on the same measure.
    client_for("leader").post(
        status_url(own_measure),
        post_data(own_measure, status=Status.ON_TRACK, progress="45", comment="Fra lederen."),
    )
    before = snapshot(own_measure)

    response = other.post(
        status_url(own_measure),
        stale | {"status": Status.DELAYED, "progress": "10", "comment": "Fra den andre."},
    )

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "endret av noen andre" in errors
    assert "Sigrid Leder" in errors  # who
    assert "«0» → «45»" in errors  # what: the progress
    assert "«ikke-startet» → «etter-plan»" in errors  # and the status
    assert snapshot(own_measure) == before
    assert list(StatusUpdate.objects.values_list("comment", flat=True)) == ["Fra lederen."]


def test_after_a_refused_stale_form_saving_the_form_as_shown_goes_through(
    client_for, second_client, own_measure
):
    """Reload and retry, as the message asks: the refused form comes back with what the user
    typed, the current status and the current version, so a second «Lagre» is not refused."""
    other = second_client
    stale = form_data(other.get(status_url(own_measure)), field="expected_version")
    client_for("leader").post(
        status_url(own_measure),
        post_data(own_measure, status=Status.ON_TRACK, progress="45", comment="Fra lederen."),
    )
    refused = other.post(
        status_url(own_measure),
        stale | {"status": Status.DELAYED, "progress": "50", "comment": "Fra den andre."},
    )
    current = Measure.objects.get(pk=own_measure.pk)
    shown = form_data(refused, field="expected_version")
    assert int(shown["expected_version"]) == current.version
    assert (shown["status"], shown["progress"], shown["comment"]) == (
        Status.DELAYED,
        "50",
        "Fra den andre.",
    )
    assert "45" in page_text(refused).split("Nå:")[1].split("framdrift")[0]  # the current state

    response = other.post(status_url(own_measure), shown)

    assert response.status_code == 302
    assert list(StatusUpdate.objects.order_by("created_at").values_list("comment", "progress")) == [
        ("Fra lederen.", 45),
        ("Fra den andre.", 50),
    ]
    assert Measure.objects.get(pk=own_measure.pk).version == current.version + 1


def test_a_status_the_workflow_does_not_allow_is_refused(client_for, own_measure):
    status_update_create(measure=own_measure, status=Status.ON_TRACK, progress=10)
    own_measure.refresh_from_db()
    before = snapshot(own_measure)

    response = client_for("leader").post(
        status_url(own_measure), post_data(own_measure, status=Status.NOT_STARTED)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert snapshot(own_measure) == before


# --- Archived measures and drafts ----------------------------------------------------------------


def test_the_service_refuses_a_status_update_on_an_archived_measure(own_measure):
    Measure.objects.filter(pk=own_measure.pk).update(archived_at=timezone.now())
    own_measure.refresh_from_db()
    before = snapshot(own_measure)

    with pytest.raises(ValidationError) as refused:
        status_update_create(
            measure=own_measure, status=Status.ON_TRACK, progress=30, comment="Etter arkivering."
        )

    assert refused.value.message_dict[NON_FIELD_ERRORS] == [
        "Tiltaket «Eget tiltak» er arkivert og vises ikke på nettstedet. Et arkivert tiltak får "
        "ikke nye statusoppdateringer."
    ]
    assert snapshot(own_measure) == before


def test_the_status_form_refuses_an_archived_measure(client_for, own_measure):
    Measure.objects.filter(pk=own_measure.pk).update(archived_at=timezone.now())
    own_measure.refresh_from_db()

    form = StatusUpdateForm(post_data(own_measure), measure=own_measure)

    assert not form.is_valid()
    assert "er arkivert" in " ".join(str(error) for error in form.non_field_errors())


def test_the_status_page_of_an_archived_measure_accepts_nothing(client_for, own_measure):
    Measure.objects.filter(pk=own_measure.pk).update(archived_at=timezone.now())
    own_measure.refresh_from_db()
    before = snapshot(own_measure)
    client = client_for("leader")

    response = client.post(status_url(own_measure), post_data(own_measure), follow=True)

    assert snapshot(own_measure) == before
    text = page_text(response)
    assert "vises nå på nettstedet" not in text
    assert "Tiltaket er arkivert og vises ikke på nettstedet." in text
    assert 'name="status"' not in response.content.decode()


def test_a_draft_s_update_does_not_claim_to_be_on_the_site(client_for, own_measure):
    Measure.objects.filter(pk=own_measure.pk).update(is_published=False)
    own_measure.refresh_from_db()

    response = client_for("leader").post(
        status_url(own_measure), post_data(own_measure), follow=True
    )

    text = page_text(response)
    assert "er oppdatert. Tiltaket er et utkast og vises ikke på nettstedet" in text
    assert "vises nå på nettstedet" not in text
    assert own_measure.status_updates.count() == 1
