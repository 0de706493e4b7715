"""«Oppdater status» and «Mine tiltak»: the one job people come to the admin area to do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measures.admin.forms import StatusUpdateForm
from measures.models import Measure, StatusUpdate
from measures.services import status_update_create
from measures.status import Status
from tests.admin_area.conftest import form_data, page_text, snapshot
from tests.measures.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def status_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_status", args=[measure.pk])


def badge(response) -> str:
    """The status badge at the top of a public measure page."""
    match = re.search(r'<p class="measure__badge">(.*?)</p>', response.content.decode(), re.S)
    assert match, "no status badge on the page"
    return match.group(1)


def post_data(measure: Measure, **overrides) -> dict:
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

    response = client_for("owner").get(status_url(own_measure))

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
    client_for, owner, own_measure
):
    assert settings.PUBLIC_PAGE_CACHE_SECONDS > 0  # the page cache is on, as in production
    public = Client()
    page_url = own_measure.get_absolute_url()
    assert "status--ikke-startet" in badge(public.get(page_url))
    assert "status--ikke-startet" in badge(public.get(page_url))  # now served from the cache
    version = own_measure.version

    response = client_for("owner").post(
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
    assert response["Location"] == reverse("admin:index")
    update = StatusUpdate.objects.get(measure=own_measure)
    assert (update.status, update.progress, update.previous_status) == (
        Status.DELAYED,
        35,
        Status.NOT_STARTED,
    )
    assert update.comment == "Leverandøren er tre uker forsinket."
    assert update.date == timezone.localdate()
    assert update.forecast_end == dt.date(2026, 6, 30)
    assert update.author == owner
    assert update.author_name == "Kari Ansvarlig"  # the person linked to the login
    own_measure.refresh_from_db()
    assert (own_measure.status, own_measure.progress) == (Status.DELAYED, 35)
    assert own_measure.forecast_end == dt.date(2026, 6, 30)
    assert own_measure.version == version + 1
    assert own_measure.last_status_update_at is not None

    page = public.get(page_url)
    assert page.status_code == 200
    assert "status--forsinket" in badge(page)
    assert "Leverandøren er tre uker forsinket." in page.content.decode()
    assert "Rapportert av Kari Ansvarlig" in page.content.decode()


def test_the_start_page_confirms_the_saved_update(client_for, own_measure):
    response = client_for("owner").post(
        status_url(own_measure), post_data(own_measure), follow=True
    )

    assert "Statusen for «Eget tiltak» er oppdatert" in page_text(response)


@pytest.mark.parametrize("status", [Status.DELAYED, Status.STOPPED])
@pytest.mark.parametrize("comment", ["", "   "])
def test_a_delayed_or_stopped_status_needs_a_comment(client_for, own_measure, status, comment):
    before = snapshot(own_measure)

    response = client_for("owner").post(
        status_url(own_measure), post_data(own_measure, status=status, comment=comment)
    )

    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    assert snapshot(own_measure) == before
    assert not StatusUpdate.objects.exists()


def test_an_update_dated_in_the_future_is_refused(client_for, own_measure):
    before = snapshot(own_measure)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_for("owner").post(
        status_url(own_measure), post_data(own_measure, date=tomorrow.isoformat())
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert snapshot(own_measure) == before


def test_a_completed_measure_cannot_change_status(client_for, owner_person):
    measure = MeasureFactory(status=Status.COMPLETED, responsible=owner_person)
    before = snapshot(measure)
    client = client_for("owner")

    page = client.get(status_url(measure))
    response = client.post(status_url(measure), post_data(measure, status=Status.ON_TRACK))

    assert page.status_code == 200
    assert "Statusen kan ikke endres" in page_text(page)
    assert "Lagre statusoppdatering" not in page.content.decode()
    assert response.status_code == 200
    assert snapshot(measure) == before
    assert not StatusUpdate.objects.exists()


def test_a_stale_status_form_is_refused_and_names_what_changed(client_for, leader, own_measure):
    owner = client_for("owner")
    stale = form_data(owner.get(status_url(own_measure)), field="expected_version")
    # Meanwhile the project leader reports a status on the same measure.
    client_for("leader").post(
        status_url(own_measure),
        post_data(own_measure, status=Status.ON_TRACK, progress="45", comment="Fra lederen."),
    )
    before = snapshot(own_measure)

    response = owner.post(
        status_url(own_measure),
        stale | {"status": Status.DELAYED, "progress": "10", "comment": "Fra ansvarlig."},
    )

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "endret av noen andre" in errors
    assert "Sigrid Leder" in errors  # who
    assert "«0» → «45»" in errors  # what: the progress
    assert "«ikke-startet» → «etter-plan»" in errors  # and the status
    assert snapshot(own_measure) == before
    assert list(StatusUpdate.objects.values_list("comment", flat=True)) == ["Fra lederen."]


def test_after_a_refused_stale_form_saving_the_form_as_shown_goes_through(client_for, own_measure):
    """Reload and retry, as the message asks: the refused form comes back with what the user
    typed, the current status and the current version, so a second «Lagre» is not refused."""
    owner = client_for("owner")
    stale = form_data(owner.get(status_url(own_measure)), field="expected_version")
    client_for("leader").post(
        status_url(own_measure),
        post_data(own_measure, status=Status.ON_TRACK, progress="45", comment="Fra lederen."),
    )
    refused = owner.post(
        status_url(own_measure),
        stale | {"status": Status.DELAYED, "progress": "50", "comment": "Fra ansvarlig."},
    )
    current = Measure.objects.get(pk=own_measure.pk)
    shown = form_data(refused, field="expected_version")
    assert int(shown["expected_version"]) == current.version
    assert (shown["status"], shown["progress"], shown["comment"]) == (
        Status.DELAYED,
        "50",
        "Fra ansvarlig.",
    )
    assert "45" in page_text(refused).split("Nå:")[1].split("framdrift")[0]  # the current state

    response = owner.post(status_url(own_measure), shown)

    assert response.status_code == 302
    assert list(StatusUpdate.objects.order_by("created_at").values_list("comment", "progress")) == [
        ("Fra lederen.", 45),
        ("Fra ansvarlig.", 50),
    ]
    assert Measure.objects.get(pk=own_measure.pk).version == current.version + 1


def test_a_status_the_workflow_does_not_allow_is_refused(client_for, own_measure):
    status_update_create(measure=own_measure, status=Status.ON_TRACK, progress=10)
    own_measure.refresh_from_db()
    before = snapshot(own_measure)

    response = client_for("owner").post(
        status_url(own_measure), post_data(own_measure, status=Status.NOT_STARTED)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert snapshot(own_measure) == before


# «Mine tiltak» ------------------------------------------------------------------------------------


def test_my_measures_lists_what_the_owner_answers_for_with_a_status_link(client_for, measures):
    response = client_for("owner").get(reverse("admin:index"))

    assert response.status_code == 200
    rows = {row.measure.pk for row in response.context["my_measures"]}
    assert rows == {measures["own"].pk, measures["co_owned"].pk}
    content = response.content.decode()
    for key in ("own", "co_owned"):
        assert f'href="{status_url(measures[key])}"' in content
    assert status_url(measures["other"]) not in content


def test_my_measures_warns_about_measures_not_updated_for_90_days(client_for, owner_person):
    long_ago = timezone.now() - dt.timedelta(days=120)
    stale = MeasureFactory(title="Glemt tiltak", responsible=owner_person)
    fresh = MeasureFactory(title="Ferskt tiltak", responsible=owner_person)
    Measure.objects.filter(pk=stale.pk).update(last_status_update_at=long_ago)
    Measure.objects.filter(pk=fresh.pk).update(last_status_update_at=timezone.now())

    response = client_for("owner").get(reverse("admin:index"))

    rows = {row.measure.title: row.is_stale for row in response.context["my_measures"]}
    assert rows == {"Glemt tiltak": True, "Ferskt tiltak": False}
    assert [row.measure.title for row in response.context["my_measures"]][0] == "Glemt tiltak"
    assert page_text(response).count("Ikke oppdatert på over 90 dager") == 1


def test_my_measures_leaves_out_archived_measures(client_for, own_measure, owner_person):
    MeasureFactory(responsible=owner_person, archived_at=timezone.now())

    response = client_for("owner").get(reverse("admin:index"))

    assert [row.measure.pk for row in response.context["my_measures"]] == [own_measure.pk]


def test_my_measures_explains_a_login_without_a_person(client_for, measures):
    response = client_for("leader").get(reverse("admin:index"))

    assert response.context["my_measures"] == []
    assert "ikke knyttet til en person" in page_text(response)


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
    assert "er arkivert" in " ".join(form.non_field_errors())


@pytest.mark.parametrize("role", ["owner", "leader"])
def test_the_status_page_of_an_archived_measure_accepts_nothing(client_for, own_measure, role):
    Measure.objects.filter(pk=own_measure.pk).update(archived_at=timezone.now())
    own_measure.refresh_from_db()
    before = snapshot(own_measure)
    client = client_for(role)

    response = client.post(status_url(own_measure), post_data(own_measure), follow=True)

    assert snapshot(own_measure) == before
    text = page_text(response)
    assert "vises nå på nettstedet" not in text
    assert "Tiltaket er arkivert og vises ikke på nettstedet." in text
    assert 'name="status"' not in response.content.decode()


def test_a_draft_s_update_does_not_claim_to_be_on_the_site(client_for, own_measure):
    Measure.objects.filter(pk=own_measure.pk).update(is_published=False)
    own_measure.refresh_from_db()

    response = client_for("owner").post(
        status_url(own_measure), post_data(own_measure), follow=True
    )

    text = page_text(response)
    assert "er oppdatert. Tiltaket er et utkast og vises ikke på nettstedet" in text
    assert "vises nå på nettstedet" not in text
    assert own_measure.status_updates.count() == 1
