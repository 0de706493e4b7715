"""Deleting archives (the timeline stays, the public page goes); a new measure starts as a draft."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from measures.models import Measure, StatusUpdate
from measures.services import status_update_create
from measures.status import Status
from tests.admin_area.conftest import assert_refused, form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/measures/measure/"


def test_the_delete_view_archives_and_keeps_the_timeline(client_for, other_measure):
    status_update_create(measure=other_measure, status=Status.ON_TRACK, progress=10)
    public = Client()
    assert public.get(other_measure.get_absolute_url()).status_code == 200  # and now cached

    response = client_for("leader").post(
        reverse("admin:measures_measure_delete", args=[other_measure.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    stored = Measure.objects.get(pk=other_measure.pk)
    assert stored.archived_at is not None
    assert StatusUpdate.objects.filter(measure=stored).count() == 1
    assert stored.history.count() >= 2
    assert public.get(other_measure.get_absolute_url()).status_code == 404
    assert other_measure.title not in public.get("/tiltak/").content.decode()


def test_the_archive_action_archives_and_hides_the_measure(client_for, other_measure, own_measure):
    public = Client()
    assert public.get(other_measure.get_absolute_url()).status_code == 200

    response = client_for("leader").post(
        CHANGELIST, {"action": "archive", "_selected_action": [other_measure.pk], "index": "0"}
    )

    assert response.status_code == 302
    assert Measure.objects.get(pk=other_measure.pk).archived_at is not None
    assert Measure.objects.get(pk=own_measure.pk).archived_at is None
    assert public.get(other_measure.get_absolute_url()).status_code == 404


def test_delete_selected_is_not_offered_and_cannot_be_forged(client_for, other_measure):
    client = client_for("leader")
    choices = client.get(CHANGELIST).context["action_form"].fields["action"].choices

    client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [other_measure.pk], "post": "yes"},
    )

    assert "delete_selected" not in [name for name, _label in choices]
    stored = Measure.objects.get(pk=other_measure.pk)  # still there
    assert stored.archived_at is None


def test_archived_measures_can_be_listed_in_the_admin(client_for, other_measure, own_measure):
    client_for("leader").post(
        CHANGELIST, {"action": "archive", "_selected_action": [other_measure.pk], "index": "0"}
    )

    archived = client_for("leader").get(CHANGELIST, {"arkivert": "ja"})
    active = client_for("leader").get(CHANGELIST, {"arkivert": "nei"})

    assert [m.pk for m in archived.context["cl"].result_list] == [other_measure.pk]
    assert other_measure.pk not in [m.pk for m in active.context["cl"].result_list]


# Drafts -------------------------------------------------------------------------------------------


def test_a_measure_added_by_the_leader_is_a_draft_until_published(client_for, other_measure):
    client = client_for("leader")
    url = reverse("admin:measures_measure_add")
    data = form_data(client.get(url), "measure_form") | {
        "title": "Et nytt tiltak",
        "slug": "et-nytt-tiltak",
        "focus_area": other_measure.focus_area_id,
        "summary": "Nytt.",
    }
    public = Client()

    response = client.post(url, data)

    assert response.status_code == 302
    measure = Measure.objects.get(slug="et-nytt-tiltak")
    assert measure.is_published is False
    assert measure.version == 1
    assert public.get("/tiltak/et-nytt-tiltak/").status_code == 404

    client.post(CHANGELIST, {"action": "publish", "_selected_action": [measure.pk], "index": "0"})

    assert Measure.objects.get(pk=measure.pk).is_published is True
    assert public.get("/tiltak/et-nytt-tiltak/").status_code == 200


def test_an_owner_cannot_publish_their_draft_with_a_forged_field(client_for, owner, own_measure):
    Measure.objects.filter(pk=own_measure.pk).update(is_published=False)
    url = reverse("admin:measures_measure_change", args=[own_measure.pk])
    data = form_data(client_for("leader").get(url), "measure_form")

    response = client_for("owner").post(url, data | {"is_published": "on"})

    assert_refused(response, "owner")
    assert not owner.has_perm("measures.publish_measure")
    assert Measure.objects.get(pk=own_measure.pk).is_published is False
    assert Client().get(own_measure.get_absolute_url()).status_code == 404


# The admin itself is always in Norwegian (its addresses have no language prefix), where one and
# many read alike; the English catalogue shows whether the count picks the plural form.
@pytest.mark.parametrize(
    ("action", "one", "two"),
    [
        ("archive", "1 measure archived.", "2 measures archived."),
        ("publish", "1 measure published.", "2 measures published."),
        ("unpublish", "1 measure unpublished.", "2 measures unpublished."),
    ],
)
def test_action_messages_agree_with_the_count(
    rf, monkeypatch, users, other_measure, own_measure, action, one, two
):
    model_admin = admin.site._registry[Measure]
    sent: list[str] = []
    monkeypatch.setattr(model_admin, "message_user", lambda request, message: sent.append(message))
    request = rf.post(CHANGELIST)
    request.user = users["leader"]

    def run(measures: list[Measure]) -> str:
        pks = [m.pk for m in measures]
        Measure.objects.filter(pk__in=pks).update(
            archived_at=None, is_published=action != "publish"
        )
        with translation.override("en"):
            getattr(model_admin, action)(request, Measure.objects.filter(pk__in=pks))
        return sent[-1]

    assert run([other_measure]) == one
    assert run([other_measure, own_measure]) == two
