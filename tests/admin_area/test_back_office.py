"""The admin as the project leader's back office: its start page, its read-only pages, its links."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from drivkraft.core.admin_site import workspace_url
from drivkraft.core.models import ContentRevision
from measures.models import Measure
from tests.admin_area.conftest import form_data, page_text
from tests.conftest import links
from tests.measures.factories import StatusUpdateFactory
from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db


def test_the_start_page_links_to_min_side_and_the_public_site(client_for, own_measure):
    response = client_for("leader").get(reverse("admin:index"))

    assert response.status_code == 200
    found = links(response.content.decode())
    assert (workspace_url(), "Gå til Min side") in found
    assert ("/", "Gå til den offentlige portalen") in found
    # «Mine tiltak» moved to Min side: the start page lists no measures of its own.
    assert "my_measures" not in response.context
    assert "Mine tiltak" not in page_text(response)
    assert reverse("admin:measures_measure_status", args=[own_measure.pk]) not in (
        response.content.decode()
    )


def test_the_start_page_lists_the_plan_first(client_for):
    response = client_for("leader").get(reverse("admin:index"))

    assert [app["app_label"] for app in response.context["app_list"]] == [
        "measures",
        "reports",
        "teams",
        "core",
    ]


def test_the_leader_links_a_person_to_a_login(client_for, leader, owner, owner_person):
    """The login is chosen from a plain list: an autocomplete would ask the user admin, which
    the leader may not see, and answered 403."""
    client = client_for("leader")
    url = reverse("admin:teams_person_change", args=[owner_person.pk])
    page = client.get(url)
    data = form_data(page, "person_form") | {"user": str(leader.pk)}

    response = client.post(url, data)

    # Every login is on the page to choose from, not only the one already chosen.
    assert f'<option value="{leader.pk}">leder</option>' in page.content.decode()
    assert response.status_code == 302
    owner_person.refresh_from_db()
    assert owner_person.user == leader


# Read-only pages and technical fields ------------------------------------------------------------

SAVE_BUTTONS = ('name="_save"', 'name="_continue"', 'name="_addanother"', 'name="_preview"')


@pytest.fixture
def report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_report(title="Statusrapport våren 2025")


def test_the_measure_form_shows_no_technical_field(client_for, other_measure):
    response = client_for("leader").get(
        reverse("admin:measures_measure_change", args=[other_measure.pk])
    )

    content = response.content.decode()
    text = page_text(response)
    assert "Versjon" not in text and "Expected version" not in text
    # The version the form was opened at travels hidden, with no label pointing at it.
    assert (
        f'<input type="hidden" name="expected_version" value="{other_measure.version}" '
        'id="id_expected_version">'
    ) in content
    assert 'for="id_expected_version"' not in content
    assert all(button in content for button in SAVE_BUTTONS)


def test_a_published_measure_has_one_link_to_its_public_page(client_for, other_measure):
    response = client_for("leader").get(
        reverse("admin:measures_measure_change", args=[other_measure.pk])
    )

    public = [href for href, _text in links(response.content.decode()) if href.startswith("/r/")]
    assert public == [] and response.context["has_absolute_url"]
    assert response.content.decode().count('class="viewsitelink"') == 1
    assert response.context["absolute_url"] == other_measure.get_absolute_url()


@pytest.mark.parametrize("hidden", ["draft", "archived"])
def test_a_draft_or_archived_measure_has_no_link_to_a_public_page(
    client_for, other_measure, hidden
):
    change: dict[str, dict[str, Any]] = {
        "draft": {"is_published": False},
        "archived": {"archived_at": timezone.now()},
    }
    Measure.objects.filter(pk=other_measure.pk).update(**change[hidden])

    response = client_for("leader").get(
        reverse("admin:measures_measure_change", args=[other_measure.pk])
    )

    assert 'class="viewsitelink"' not in response.content.decode()


def test_pages_nobody_may_save_offer_no_save_button(client_for, own_measure, report):
    update = StatusUpdateFactory(measure=own_measure)
    client = client_for("leader")
    urls = [
        reverse("admin:measures_statusupdate_change", args=[update.pk]),
        reverse("admin:reports_report_change", args=[report.pk]),
        reverse("admin:core_contentrevision_change", args=[ContentRevision.objects.get().pk]),
        reverse(
            "admin:measures_measure_simple_history",
            args=[own_measure.pk, own_measure.history.earliest().history_id],
        ),
    ]

    for url in urls:
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert not [button for button in SAVE_BUTTONS if button in content], url
        assert 'class="closelink"' in content, url


def test_an_old_version_is_shown_as_text_not_as_a_form_nobody_can_save(client_for, own_measure):
    url = reverse(
        "admin:measures_measure_simple_history",
        args=[own_measure.pk, own_measure.history.earliest().history_id],
    )

    response = client_for("leader").get(url)

    content = response.content.decode()
    assert 'name="title"' not in content and 'name="summary"' not in content
    assert own_measure.title in page_text(response)
    assert "Versjon" not in page_text(response)
    # The breadcrumbs name the app in Norwegian, not by its label.
    assert ("/admin/measures/", "Program og tiltak") in links(content)


def test_a_page_where_every_field_is_read_only_offers_no_save(rf, owner, own_measure):
    """Behind the door, too: Django offers «Lagre» whenever the role may change the object, even
    with every field read-only for it, as the measure's form was for its owner."""
    request = rf.get(reverse("admin:measures_measure_change", args=[own_measure.pk]))
    request.user = owner
    model_admin = admin.site._registry[Measure]
    assert owner.has_perm("measures.change_measure", own_measure)

    response = model_admin.change_view(request, str(own_measure.pk))

    assert isinstance(response, TemplateResponse)
    content = response.render().content.decode()
    assert not [button for button in SAVE_BUTTONS if button in content]


def test_the_history_of_a_report_is_a_page_not_an_error(client_for, report):
    response = client_for("leader").get(reverse("admin:reports_report_history", args=[report.pk]))

    assert response.status_code == 200
    assert "Dette objektet har ingen endringshistorikk." in page_text(response)


def test_an_issued_report_links_its_pdf_through_the_download_view(client_for, report):
    response = client_for("leader").get(reverse("admin:reports_report_change", args=[report.pk]))

    content = response.content.decode()
    assert (f"/rapporter/{report.pk}.pdf", "Last ned rapporten") in links(content)
    assert reverse("reports:download", args=[report.pk]) == f"/rapporter/{report.pk}.pdf"
    assert "/media/" not in content
    assert report.pdf.name not in content  # no file path at all
    for technical in ("Hva som skjer nå", "Feilmelding", "snapshot"):
        assert technical not in page_text(response)


def test_the_pdf_link_of_the_admin_downloads_the_report(client_for, report):
    client = client_for("leader")
    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    (href,) = [href for href, text in links(page.content.decode()) if text == "Last ned rapporten"]

    response = client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


# The portal's colours and name -------------------------------------------------------------------

STATIC_CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def test_the_admin_wears_the_portals_colours_in_its_one_light_theme(client_for):
    content = client_for("leader").get(reverse("admin:index")).content.decode()

    assert content.index("css/colours.css") < content.index("css/admin.css")
    assert "img/favicon.svg" in content
    # Light only, as the public site: no dark stylesheet, no theme script, no theme toggle.
    for dark in ("dark_mode.css", "theme.js", "theme-toggle"):
        assert dark not in content, dark
    assert (workspace_url(), "Min side") in links(content)
    assert ("/", "Vis nettsted") in links(content)


def test_each_colour_is_defined_once_for_the_public_site_and_the_admin(client):
    definitions = [
        name
        for css in STATIC_CSS.glob("*.css")
        for name in re.findall(r"(--[\w-]+)\s*:\s*#", css.read_text(encoding="utf-8"))
    ]

    assert "--brand" in definitions
    assert len(definitions) == len(set(definitions))
    assert "css/colours.css" in client.get("/").content.decode()


# Layouts that fit --------------------------------------------------------------------------------


def test_the_measure_form_shows_its_timeline_as_a_plain_table(client_for, own_measure):
    StatusUpdateFactory(measure=own_measure, comment="Første samling er holdt.")
    update = own_measure.status_updates.get()
    url = reverse("admin:measures_measure_change", args=[own_measure.pk])

    response = client_for("leader").get(url)

    content = response.content.decode()
    assert reverse("admin:measures_statusupdate_change", args=[update.pk]) in content
    assert "Første samling er holdt." in page_text(response)
    # Not Django's tabular inline, which repeated the measure's title over every row.
    assert page_text(response).count(str(update)) == 0


def test_the_measure_list_shows_short_progress_and_date_columns(client_for, own_measure):
    Measure.objects.filter(pk=own_measure.pk).update(
        progress=45, last_status_update_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    )

    response = client_for("leader").get(reverse("admin:measures_measure_changelist"))

    text = page_text(response)
    assert "45 %" in text and "01.03.2025" in text
