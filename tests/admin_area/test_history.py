"""Every write path leaves a history row saying who, when and why, shown per object in the admin.

The admin's writes are the project leader's; an owner's status update (made on Min side) goes
through the same service and is recorded alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin import site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from drivkraft.core.admin.base import RulesHistoryAdmin
from measures.models import IndicatorValue, Measure, StatusUpdate
from measures.services import status_update_create
from measures.status import Status
from teams.models import Person
from tests.admin_area.conftest import assert_refused, form_data, page_text
from tests.measures.factories import FocusAreaFactory, MeasureFactory, ProgrammeFactory
from tests.teams.factories import BodyFactory, MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/measures/measure/"


def change_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_change", args=[measure.pk])


def latest(obj: Measure | Person) -> Any:
    """The newest history row (of a model made at run time, so of no static type)."""
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


def test_a_status_update_records_the_measure_and_the_update(client_for, leader, own_measure):
    count = own_measure.history.count()

    client_for("leader").post(
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
    assert record.history_user == leader
    assert record.history_change_reason.startswith("Statusoppdatering")
    assert (record.status, record.progress) == (Status.ON_TRACK, 40)
    update = StatusUpdate.objects.get(measure=own_measure)
    (update_record,) = update.history.all()
    assert (update_record.history_type, update_record.history_user) == ("+", leader)


def test_an_owners_status_update_through_the_service_records_the_owner(owner, own_measure):
    """What Min side does: the same service, with the owner as author."""
    status_update_create(
        measure=own_measure,
        status=Status.ON_TRACK,
        progress=40,
        comment="I rute.",
        author=owner,
        expected_version=own_measure.version,
    )

    record = latest(own_measure)
    assert (record.history_user, record.status) == (owner, Status.ON_TRACK)
    assert StatusUpdate.objects.get(measure=own_measure).author == owner


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


def test_a_value_added_through_the_indicator_inline_records_the_user(
    client_for, leader, own_indicator
):
    client = client_for("leader")
    url = reverse("admin:measures_indicator_change", args=[own_indicator.pk])
    data = form_data(client.get(url), "indicator_form")
    index = int(data["values-TOTAL_FORMS"]) - 1

    client.post(url, data | {f"values-{index}-date": "01.02.2025", f"values-{index}-value": "12"})

    value = IndicatorValue.objects.get(indicator=own_indicator)
    (record,) = value.history.all()
    assert (record.history_type, record.history_user) == ("+", leader)
    assert record.date == dt.date(2025, 2, 1)


def test_changing_a_person_in_the_admin_records_the_user(client_for, leader, owner_person):
    client = client_for("leader")
    url = reverse("admin:teams_person_change", args=[owner_person.pk])
    data = form_data(client.get(url), "person_form")

    response = client.post(url, data | {"title": "Næringssjef"})

    assert response.status_code == 302
    record = latest(Person.objects.get(pk=owner_person.pk))
    assert (record.history_type, record.history_user, record.title) == ("~", leader, "Næringssjef")


def test_the_history_page_lists_the_changes_with_who_and_why(client_for, owner, own_measure):
    leader = client_for("leader")
    data = form_data(leader.get(change_url(own_measure)), "measure_form")
    leader.post(change_url(own_measure), data | {"title": "Omdøpt tiltak"})
    leader.post(CHANGELIST, {"action": "unpublish", "_selected_action": [own_measure.pk]})
    status_update_create(  # the owner, on Min side
        measure=Measure.objects.get(pk=own_measure.pk),
        status=Status.ON_TRACK,
        progress=15,
        author=owner,
        expected_version=Measure.objects.get(pk=own_measure.pk).version,
    )

    response = client_for("leader").get(
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
PREPOPULATED: dict[str, Callable[[Person], Any]] = {
    "measure_own": lambda owner_person: MeasureFactory(responsible=owner_person),
    "measure_other": lambda owner_person: MeasureFactory(),
    "programme": lambda owner_person: ProgrammeFactory(),
    "focus_area": lambda owner_person: FocusAreaFactory(),
    "municipality": lambda owner_person: MunicipalityFactory(),
    "organisation": lambda owner_person: OrganisationFactory(),
    "body": lambda owner_person: BodyFactory(kind="naeringsteam"),
}


def history_entry(obj: Any) -> tuple[str, Any]:
    opts = obj._meta
    record = latest(obj)
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.pk]
    )
    return url, record


@pytest.mark.parametrize("kind", list(PREPOPULATED))
@pytest.mark.parametrize("role", ["leader", "owner", "steering", "no_role"])
def test_a_history_entry_page_answers_every_role(client_for, owner_person, kind, role):
    obj = PREPOPULATED[kind](owner_person)
    obj.refresh_from_db()
    url, _record = history_entry(obj)

    response = client_for(role).get(url)

    if role == "leader":
        assert response.status_code == 200
        assert str(obj) in page_text(response)
    else:  # the admin is the project leader's: the others are sent to Min side
        assert_refused(response, role)


# The measure's slug is read-only for every role but the project leader's (the other models'
# forms keep it, and their pages were never at risk).
@pytest.mark.parametrize("kind", ["measure_own", "measure_other"])
@pytest.mark.parametrize("role", ["owner", "steering"])
def test_a_history_entry_page_for_whom_the_slug_is_read_only_shows_it_as_text(
    rf, users, owner_person, kind, role
):
    """Behind the door as well: the view itself, asked by a role for whom the prepopulated field
    is read-only, shows the entry (it was a KeyError: 'slug', a 500)."""
    obj = PREPOPULATED[kind](owner_person)
    obj.refresh_from_db()
    url, record = history_entry(obj)
    request = rf.get(url)
    request.user = users[role]
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    model_admin = site._registry[type(obj)]
    assert isinstance(model_admin, RulesHistoryAdmin)
    assert "slug" not in model_admin.get_form(request, obj).base_fields

    response = model_admin.history_form_view(request, str(obj.pk), str(record.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="slug"' not in content
    assert obj.slug in content
