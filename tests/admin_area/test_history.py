"""Every write path leaves a history row saying who, when and why, shown per object in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from measures.models import IndicatorValue, Measure, StatusUpdate
from measures.status import Status
from teams.models import Person
from tests.admin_area.conftest import form_data, page_text
from tests.measures.factories import FocusAreaFactory, MeasureFactory, ProgrammeFactory
from tests.teams.factories import BodyFactory, MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/measures/measure/"


def change_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_change", args=[measure.pk])


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_saving_the_change_form_records_the_user(client_for, leader, other_measure):
    client = client_for("leader")
    data = form_data(client.get(change_url(other_measure)), "measure_form")
    count = other_measure.history.count()

    client.post(change_url(other_measure), data | {"title": "Ny tittel"})

    assert other_measure.history.count() == count + 1
    record = latest(other_measure)
    assert (record.history_type, record.history_user, record.title) == ("~", leader, "Ny tittel")
    assert record.version == other_measure.version + 1


def test_a_status_update_records_the_measure_and_the_update(client_for, owner, own_measure):
    count = own_measure.history.count()

    client_for("owner").post(
        reverse("admin:measures_measure_status", args=[own_measure.pk]),
        {
            "status": Status.ON_TRACK,
            "progress": "40",
            "date": timezone.localdate().isoformat(),
            "comment": "I rute.",
            "expected_version": own_measure.version,
        },
    )

    assert own_measure.history.count() == count + 1
    record = latest(own_measure)
    assert record.history_user == owner
    assert record.history_change_reason.startswith("Statusoppdatering")
    assert (record.status, record.progress) == (Status.ON_TRACK, 40)
    update = StatusUpdate.objects.get(measure=own_measure)
    (update_record,) = update.history.all()
    assert (update_record.history_type, update_record.history_user) == ("+", owner)


@pytest.mark.parametrize(
    ("action", "published_before", "reason"),
    [
        ("publish", False, "Publisert"),
        ("unpublish", True, "Avpublisert"),
        ("archive", True, "Arkivert"),
    ],
)
def test_a_bulk_action_records_one_row_per_measure(
    client_for, leader, action, published_before, reason
):
    chosen = MeasureFactory.create_batch(2, is_published=published_before)
    untouched = MeasureFactory(is_published=published_before)
    counts = {m.pk: m.history.count() for m in [*chosen, untouched]}

    response = client_for("leader").post(
        CHANGELIST,
        {"action": action, "_selected_action": [m.pk for m in chosen], "index": "0"},
    )

    assert response.status_code == 302
    for measure in chosen:
        assert measure.history.count() == counts[measure.pk] + 1
        record = latest(measure)
        assert (record.history_user, record.history_change_reason) == (leader, reason)
    assert untouched.history.count() == counts[untouched.pk]


def test_archiving_through_the_delete_view_records_the_reason(client_for, leader, other_measure):
    client_for("leader").post(
        reverse("admin:measures_measure_delete", args=[other_measure.pk]), {"post": "yes"}
    )

    record = latest(other_measure)
    assert (record.history_user, record.history_change_reason) == (leader, "Arkivert")
    assert record.archived_at is not None


def test_an_import_records_who_imported_and_why(client_for, leader, other_measure):
    client = client_for("leader")
    area = other_measure.focus_area.name
    upload = SimpleUploadedFile(
        "plan.csv",
        (
            "tittel,satsingsomrade,sammendrag,kortnavn\n"
            f"Importert tiltak,{area},Nytt.,importert-tiltak\n"
            f"Nytt navn fra fil,{area},Oppdatert.,{other_measure.slug}\n"
        ).encode(),
    )
    payload = client.post("/admin/measures/measure/import/", {"file": upload}).context["payload"]

    client.post("/admin/measures/measure/import/", {"_confirm": "Importer", "payload": payload})

    for measure in (Measure.objects.get(slug="importert-tiltak"), other_measure):
        record = latest(measure)
        assert (record.history_user, record.history_change_reason) == (leader, "Importert fra fil")
    assert latest(other_measure).title == "Nytt navn fra fil"


def test_a_value_added_through_the_indicator_inline_records_the_owner(
    client_for, owner, own_indicator
):
    client = client_for("owner")
    url = reverse("admin:measures_indicator_change", args=[own_indicator.pk])
    data = form_data(client.get(url), "indicator_form")
    index = int(data["values-TOTAL_FORMS"]) - 1

    client.post(url, data | {f"values-{index}-date": "01.02.2025", f"values-{index}-value": "12"})

    value = IndicatorValue.objects.get(indicator=own_indicator)
    (record,) = value.history.all()
    assert (record.history_type, record.history_user) == ("+", owner)
    assert record.date == dt.date(2025, 2, 1)


def test_changing_a_person_in_the_admin_records_the_user(client_for, leader, owner_person):
    client = client_for("leader")
    url = reverse("admin:teams_person_change", args=[owner_person.pk])
    data = form_data(client.get(url), "person_form")

    response = client.post(url, data | {"title": "Næringssjef"})

    assert response.status_code == 302
    record = latest(Person.objects.get(pk=owner_person.pk))
    assert (record.history_type, record.history_user, record.title) == ("~", leader, "Næringssjef")


def test_the_history_page_lists_the_changes_with_who_and_why(client_for, own_measure):
    leader = client_for("leader")
    data = form_data(leader.get(change_url(own_measure)), "measure_form")
    leader.post(change_url(own_measure), data | {"title": "Omdøpt tiltak"})
    leader.post(CHANGELIST, {"action": "unpublish", "_selected_action": [own_measure.pk]})
    client_for("owner").post(
        reverse("admin:measures_measure_status", args=[own_measure.pk]),
        {
            "status": Status.ON_TRACK,
            "progress": "15",
            "date": timezone.localdate().isoformat(),
            "expected_version": Measure.objects.get(pk=own_measure.pk).version,
        },
    )

    response = client_for("steering").get(
        reverse("admin:measures_measure_history", args=[own_measure.pk])
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "Avpublisert" in text
    assert "Statusoppdatering: Under arbeid etter plan, 15 %" in text
    assert "Eget tiltak → Omdøpt tiltak" in text  # what
    assert "leder" in text and "ansvarlig" in text  # who


# --- A history entry's page, for every role ------------------------------------------------------

# Every model whose admin prepopulates a field (the slug): read-only roles see no such field, and
# the history page asked for it anyway (KeyError: 'slug', a 500).
PREPOPULATED = {
    "measure_own": lambda owner_person: MeasureFactory(responsible=owner_person),
    "measure_other": lambda owner_person: MeasureFactory(),
    "programme": lambda owner_person: ProgrammeFactory(),
    "focus_area": lambda owner_person: FocusAreaFactory(),
    "municipality": lambda owner_person: MunicipalityFactory(),
    "organisation": lambda owner_person: OrganisationFactory(),
    "body": lambda owner_person: BodyFactory(kind="naeringsteam"),
}


@pytest.mark.parametrize("kind", list(PREPOPULATED))
@pytest.mark.parametrize("role", ["leader", "owner", "steering", "no_role"])
def test_a_history_entry_page_answers_every_role(client_for, owner_person, kind, role):
    obj = PREPOPULATED[kind](owner_person)
    obj.refresh_from_db()
    opts = obj._meta
    record = latest(obj)
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.pk]
    )
    admin = site._registry[type(obj)]
    client = client_for(role)

    response = client.get(url)

    if role == "no_role":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert str(obj) in page_text(response)
    editable = admin.get_form(response.wsgi_request, obj).base_fields
    if "slug" not in editable:  # read-only for this role: shown as text, not as a field
        assert 'name="slug"' not in response.text
        assert obj.slug in page_text(response)
