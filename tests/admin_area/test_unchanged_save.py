"""Saving a form without changing anything writes nothing: no new version, no history row, no
admin log entry, no new content revision (which would empty every cached page)."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from drivkraft.core.revision import current_revision
from measures.models import Measure
from measures.services import measure_save
from tests.admin_area.conftest import form_data
from tests.admin_area.test_other_models import EDITABLE, admin_url
from tests.teams.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def change_url(measure: Measure) -> str:
    return reverse("admin:measures_measure_change", args=[measure.pk])


def written(measure: Measure) -> dict[str, int]:
    stored = Measure.objects.get(pk=measure.pk)
    return {
        "version": stored.version,
        "history": stored.history.count(),
        "log": LogEntry.objects.count(),
        "revision": current_revision().number,
    }


@pytest.fixture
def full_measure(own_measure, co_owned_measure):
    """The owner's own measure with every kind of field filled: M2M, dates, related."""
    own_measure.municipalities.add(MunicipalityFactory(), MunicipalityFactory())
    own_measure.partners.add(OrganisationFactory())
    own_measure.related.add(co_owned_measure)
    own_measure.refresh_from_db()
    return own_measure


@pytest.mark.parametrize("button", ["_save", "_continue"])
def test_three_unchanged_saves_write_nothing(client_for, full_measure, button):
    # The project leader's back office; owners change their measures' texts on Min side.
    client = client_for("leader")
    url = change_url(full_measure)
    before = written(full_measure)

    for _ in range(3):
        data = form_data(client.get(url), "measure_form")
        response = client.post(url, data | {button: "Lagre"})
        assert response.status_code == 302, (
            response.context and response.context["adminform"].form.errors
        )

    assert written(full_measure) == before


def test_a_real_change_is_still_written_once(client_for, full_measure):
    client = client_for("leader")
    url = change_url(full_measure)
    before = written(full_measure)

    data = form_data(client.get(url), "measure_form")
    assert client.post(url, data | {"summary": "Nytt sammendrag."}).status_code == 302

    after = written(full_measure)
    assert after["version"] == before["version"] + 1
    assert after["history"] == before["history"] + 1
    assert after["log"] == before["log"] + 1
    assert after["revision"] > before["revision"]
    assert Measure.objects.get(pk=full_measure.pk).summary == "Nytt sammendrag."


def test_the_service_refuses_to_write_a_measure_that_did_not_change(own_measure):
    before = written(own_measure)
    measure = Measure.objects.get(pk=own_measure.pk)

    measure_save(measure=measure, expected_version=measure.version)

    assert written(own_measure) == before
    measure.title = "Ny tittel"
    measure_save(measure=measure, expected_version=measure.version)
    assert written(own_measure)["version"] == before["version"] + 1


def test_a_change_of_relations_only_is_written(client_for, full_measure):
    client = client_for("leader")
    url = change_url(full_measure)
    before = written(full_measure)
    extra = MunicipalityFactory()

    data = form_data(client.get(url), "measure_form")
    municipalities = data["municipalities"]
    municipalities = municipalities if isinstance(municipalities, list) else [municipalities]
    assert (
        client.post(url, data | {"municipalities": [*municipalities, str(extra.pk)]}).status_code
        == 302
    )

    assert written(full_measure)["version"] == before["version"] + 1
    assert extra in Measure.objects.get(pk=full_measure.pk).municipalities.all()


@pytest.mark.parametrize("label", list(EDITABLE))
def test_an_unchanged_save_of_any_model_writes_nothing(client_for, label):
    factory, _field = EDITABLE[label]
    obj = factory()
    client = client_for("leader")
    url = admin_url(obj, "change")
    history = type(obj).history.count()
    revision = current_revision().number

    for _ in range(2):
        data = form_data(client.get(url), field=_field)
        assert client.post(url, data).status_code == 302

    assert type(obj).history.count() == history
    assert current_revision().number == revision
    assert LogEntry.objects.count() == 0
