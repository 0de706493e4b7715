"""Min side: each role's page, and the owner's three tasks (status, description, indicator values)
saved through their services, working without JavaScript and with htmx."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from measures.models import Indicator, IndicatorValue, Measure, StatusUpdate
from measures.services import status_update_create
from measures.status import Status
from reports import pdf as engine
from reports.current import current_report_made_at
from reports.models import Scope
from teams.roles import MEASURE_OWNER, STEERING_GROUP
from tests.admin_area.conftest import form_data
from tests.conftest import Portal, TestResponse, add_measures, headings, links, plain
from tests.measures.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    ProgrammeFactory,
)
from tests.reports.conftest import make_report, render_current
from tests.workspace.conftest import link_person, make_user

pytestmark = pytest.mark.django_db

HOME = "/min-side/"


def status_url(measure: Measure) -> str:
    return f"/min-side/tiltak/{measure.slug}/status/"


def description_url(measure: Measure) -> str:
    return f"/min-side/tiltak/{measure.slug}/beskrivelse/"


def indicators_url(measure: Measure) -> str:
    return f"/min-side/tiltak/{measure.slug}/indikatorer/"


def text(response: TestResponse) -> str:
    return plain(response.content.decode())


def section(response: TestResponse, heading_id: str) -> str:
    """From the section's heading to the next section's heading (or the end of the page)."""
    html: str = response.content.decode()
    start = html.index(f'<h2 id="{heading_id}">')
    end = html.find("<h2 id=", start + 1)
    return html[start : end if end > 0 else len(html)]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# The page of each role ----------------------------------------------------------------------------


def test_the_owner_sees_their_measures_with_what_needs_attention_first(client_for, measures):
    fresh = measures["own"]
    status_update_create(measure=fresh, status=Status.ON_TRACK, progress=35)

    response = client_for("owner").get(HOME)

    assert response.status_code == 200
    assert headings(response.content.decode()) == ["Min side"]
    own = section(response, "mine-tiltak")
    # «Delt tiltak» has never been updated: it comes first, with the reason.
    assert own.index("Delt tiltak") < own.index("Eget tiltak")
    assert "Har aldri fått en statusoppdatering" in plain(own)
    assert "Andres tiltak" not in own
    assert (status_url(fresh), f"Oppdater status: {fresh.title}") in links(own)
    assert (description_url(fresh), f"Rediger beskrivelse: {fresh.title}") in links(own)
    for fact in ("Status", "Framdrift", "35 %", "Planlagt slutt", "31.12.2030", "Forventet slutt"):
        assert fact in plain(own)
    assert 'id="rapporter"' not in response.content.decode()  # no reports for an owner
    assert 'id="programmet"' not in response.content.decode()


def test_the_owner_sees_the_indicator_link_only_where_there_are_indicators(
    client_for, measures, own_indicator
):
    own = section(client_for("owner").get(HOME), "mine-tiltak")

    assert indicators_url(measures["own"]) in own
    assert indicators_url(measures["co_owned"]) not in own


def test_a_draft_is_listed_but_not_linked_to_a_public_page(client_for, owner_person):
    draft = MeasureFactory(title="Mitt utkast", responsible=owner_person, is_published=False)

    own = section(client_for("owner").get(HOME), "mine-tiltak")

    assert "Mitt utkast" in own
    assert "utkast, ikke publisert" in plain(own)
    assert f'href="{draft.get_absolute_url()}"' not in own


def test_an_owner_without_a_person_is_told_why_nothing_is_theirs(db):
    user = make_user("uten-person", MEASURE_OWNER)
    client = Client()
    client.force_login(user)

    assert "ikke knyttet til en person" in text(client.get(HOME))


def test_a_user_without_a_role_is_told_so(client_for):
    response = client_for("no_role").get(HOME)

    assert response.status_code == 200
    assert "ingen rolle i programmet" in text(response)


def test_the_steering_group_sees_the_current_report_the_archive_and_the_news(
    client_for, measures, media
):
    issued = make_report(title="Statusrapport våren 2024")
    other_measure = measures["other"]
    other = make_report(
        title="Harstad-rapporten", scope=Scope.FOCUS_AREA, focus_area=other_measure.focus_area
    )
    status_update_create(
        measure=other_measure,
        status=Status.DELAYED,
        progress=20,
        comment="Venter på finansiering.",
    )

    response = client_for("steering").get(HOME)

    reports = section(response, "rapporter")
    page_links = links(reports)
    assert ("/rapporter/gjeldende.pdf", "Last ned gjeldende statusrapport (PDF)") in page_links
    assert "Rapporten lages nå av dataene slik de er" in plain(reports)  # not made yet
    assert (f"/rapporter/{issued.pk}.pdf", "Statusrapport våren 2024 (PDF)") in page_links
    assert (f"/rapporter/{other.pk}.pdf", "Harstad-rapporten (PDF)") in page_links
    assert "/media/" not in response.content.decode()  # every PDF through the checked view
    assert "/rapporter/ny/" not in reports  # may not issue
    assert "Siden forrige rapport" in plain(reports)
    assert "Andres tiltak" in plain(reports)  # a new delay since the report
    assert "Venter på finansiering." in plain(reports)
    assert 'id="mine-tiltak"' not in response.content.decode()


def test_the_current_reports_time_is_shown_once_it_is_made(
    client_for, measures, media, monkeypatch
):
    ProgrammeFactory(is_current=True)
    monkeypatch.setattr(engine, "render_pdf", lambda html, *, title, **kw: (b"%PDF-1.4", 1))
    render_current()
    made = current_report_made_at()
    assert made is not None
    made_at = timezone.localtime(made.at)

    reports = section(client_for("steering").get(HOME), "rapporter")

    assert f"Laget {made_at:%-d}. " in plain(reports)
    assert f" {made_at:%Y %H:%M}, av dataene" in plain(reports)


def test_a_steering_group_member_named_responsible_still_only_reads(db, own_measure):
    user = link_person(make_user("ordforer", STEERING_GROUP), own_measure.responsible)
    client = Client()
    client.force_login(user)

    html = client.get(HOME).content.decode()

    assert 'id="mine-tiltak"' not in html
    assert status_url(own_measure) not in html


def test_the_project_leader_sees_the_programme_the_rule_breakers_and_may_issue(
    client_for, measures, media
):
    late = MeasureFactory(
        title="Etter plan men for sent",
        status=Status.ON_TRACK,
        progress=40,
        planned_start=dt.date(2019, 1, 1),
        planned_end=dt.date(2021, 6, 30),
        forecast_end=dt.date(2027, 5, 31),
        last_status_update_at=timezone.now(),
    )
    late.focus_area.programme.is_current = True
    late.focus_area.programme.save()

    response = client_for("leader").get(HOME)

    html = response.content.decode()
    assert ("/rapporter/ny/", "Lag ny rapport") in links(html)
    programme = section(response, "programmet")
    assert ("/admin/measures/measure/import/", "Importer tiltak fra fil") in links(programme)
    assert "Etter plan men for sent" in programme
    rule_breakers = programme[programme.index('id="regelbrudd"') :]
    assert "Forventet slutt 31.05.2027 er etter planlagt slutt 30.06.2021" in plain(rule_breakers)
    assert (status_url(late), late.title) in links(rule_breakers)
    assert Measure.objects.get(pk=late.pk).status == Status.ON_TRACK  # listed, not changed
    # The in-page navigation for a page with several sections.
    assert ("#rapporter", "Statusrapporter") in links(html)
    assert ("#programmet", "Hele programmet") in links(html)


def test_a_role_never_needs_the_staff_flag(db, owner_person, own_measure):
    owner = link_person(make_user("ikke-stab", MEASURE_OWNER, is_staff=False), owner_person)
    steering = make_user("ikke-stab-styret", STEERING_GROUP, is_staff=False)
    for user, expected in ((owner, "Eget tiltak"), (steering, "Last ned gjeldende statusrapport")):
        client = Client()
        client.force_login(user)
        assert expected in text(client.get(HOME))
    client = Client()
    client.force_login(owner)
    assert client.get(status_url(own_measure)).status_code == 200


# Query counts: constant as the data grows ---------------------------------------------------------


@pytest.mark.parametrize("role", [MEASURE_OWNER, STEERING_GROUP, "Prosjektleder"])
def test_min_side_costs_the_same_queries_with_one_or_many_measures(
    portal: Portal,
    settings: Any,
    media: Any,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
    role: str,
) -> None:
    user = make_user("rolle", role)
    link_person(user, portal.responsible)
    make_report(title="Rapporten", period_end=dt.date(2024, 6, 30))
    client = Client()
    client.force_login(user)

    # 17: one of them counts the new public input waiting for the user (participation).
    with django_assert_max_num_queries(17) as few:
        assert client.get(HOME).status_code == 200

    add_measures(portal, 60)
    with django_assert_num_queries(len(few)):
        response = client.get(HOME)
    assert response.status_code == 200


def test_the_status_page_costs_the_same_queries_however_long_the_history(
    client_for, own_measure, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for("owner")
    with django_assert_max_num_queries(14) as few:
        client.get(status_url(own_measure))

    for day in range(1, 25):
        status_update_create(
            measure=own_measure,
            status=Status.ON_TRACK,
            progress=30 + day,
            date=dt.date(2025, 1, day),
        )
    with django_assert_num_queries(len(few)):
        client.get(status_url(own_measure))


def test_the_indicator_page_costs_the_same_queries_with_one_or_many_indicators(
    client_for, own_measure, own_indicator, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for("owner")
    IndicatorValueFactory(indicator=own_indicator)
    with django_assert_max_num_queries(14) as few:
        assert client.get(indicators_url(own_measure)).status_code == 200

    for n in range(8):
        indicator = IndicatorFactory(measure=own_measure, name=f"Indikator {n}")
        for day in range(1, 6):
            IndicatorValueFactory(indicator=indicator, date=dt.date(2025, 1, day))
    with django_assert_num_queries(len(few)):
        assert client.get(indicators_url(own_measure)).status_code == 200


def test_the_description_page_is_a_handful_of_queries(
    client_for, own_measure, django_assert_max_num_queries
):
    client = client_for("owner")
    with django_assert_max_num_queries(12):
        assert client.get(description_url(own_measure)).status_code == 200


# «Oppdater status» --------------------------------------------------------------------------------


def status_form(client: Client, measure: Measure) -> dict[str, Any]:
    return form_data(client.get(status_url(measure)), field="expected_version")


def test_the_status_form_shows_the_measure_and_its_previous_updates(client_for, own_measure):
    status_update_create(
        measure=own_measure, status=Status.ON_TRACK, progress=35, comment="Første samling holdt."
    )
    response = client_for("owner").get(status_url(own_measure))

    html = response.content.decode()
    assert "Tidligere oppdateringer" in html
    assert "Første samling holdt." in html
    for label in ("Ny status", "Framdrift (%)", "Forventet slutt", "Dato", "Kommentar"):
        assert label in plain(html)
    assert 'type="radio" name="status"' in html  # every allowed status in view


def test_the_owner_saves_a_status_update_and_the_public_page_shows_it(
    client_for, own_measure, client
):
    owner = client_for("owner")
    data = status_form(owner, own_measure) | {
        "status": Status.DELAYED,
        "progress": "45",
        "forecast_end": "2031-03-31",
        "comment": "Leverandøren er forsinket.",
    }

    response = owner.post(status_url(own_measure), data)

    assert response.status_code == 302
    assert response["Location"] == f"{HOME}#tiltak-{own_measure.slug}"
    update = StatusUpdate.objects.get(measure=own_measure)
    assert (update.status, update.progress, update.forecast_end) == (
        Status.DELAYED,
        45,
        dt.date(2031, 3, 31),
    )
    assert update.author_name == "Kari Ansvarlig"
    landing = owner.get(HOME)
    assert "Statusen for «Eget tiltak» er lagret og vises nå på nettstedet." in text(landing)
    public = text(client.get(own_measure.get_absolute_url()))
    assert "Leverandøren er forsinket." in public


def test_a_contradiction_is_refused_with_the_rules_message_linked_to_its_field(
    client_for, own_measure
):
    owner = client_for("owner")
    data = status_form(owner, own_measure) | {
        "status": Status.ON_TRACK,
        "progress": "50",
        "forecast_end": "2031-06-30",  # after the planned end, 31.12.2030
    }

    response = owner.post(status_url(own_measure), data)

    html = response.content.decode()
    assert response.status_code == 200
    message = (
        "Forventet slutt 30.06.2031 er etter planlagt slutt 31.12.2030. Velg «Forsinket», "
        "eller sett forventet slutt til 31.12.2030 eller tidligere."
    )
    summary = html[
        html.index('class="error-summary"') : html.index('<form method="post" novalidate')
    ]
    assert ("#id_status_0", f"Ny status: {message}") in links(summary)
    assert 'class="error-summary" role="alert"' in html
    assert not StatusUpdate.objects.filter(measure=own_measure).exists()


def test_a_stale_form_comes_back_with_what_changed_and_then_saves(client_for, own_measure):
    owner = client_for("owner")
    data = status_form(owner, own_measure) | {"progress": "60", "comment": "Mitt bidrag."}
    status_update_create(measure=own_measure, status=Status.ON_TRACK, progress=50)  # meanwhile

    refused = owner.post(status_url(own_measure), data)

    assert refused.status_code == 200
    assert "er endret av noen andre siden du åpnet skjemaet" in text(refused)
    assert StatusUpdate.objects.filter(measure=own_measure).count() == 1
    again = form_data(refused, field="expected_version")
    assert again["comment"] == "Mitt bidrag."  # what the user typed is kept
    assert owner.post(status_url(own_measure), again).status_code == 302
    assert Measure.objects.get(pk=own_measure.pk).progress == 60


def test_a_completed_measure_offers_no_form(client_for, owner_person):
    done = MeasureFactory(
        responsible=owner_person, status=Status.COMPLETED, forecast_end=dt.date(2024, 5, 1)
    )
    owner = client_for("owner")

    response = owner.get(status_url(done))

    assert "Tiltaket er gjennomført" in text(response)
    assert 'name="expected_version"' not in response.content.decode()
    owner.post(status_url(done), {"status": Status.COMPLETED, "progress": "100"})
    assert not StatusUpdate.objects.filter(measure=done).exists()


# «Rediger beskrivelse» ----------------------------------------------------------------------------


def test_the_preview_shows_sanitised_markdown_and_saves_nothing(client_for, own_measure):
    owner = client_for("owner")
    data = form_data(owner.get(description_url(own_measure)), field="description")
    text_with_script = "Nytt **avsnitt**.\n\n<script>alert(1)</script>"

    response = owner.post(
        description_url(own_measure), data | {"description": text_with_script, "_preview": "1"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>avsnitt</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Ingenting er lagret ennå" in plain(html)
    assert Measure.objects.get(pk=own_measure.pk).description == "Gammel **beskrivelse**."
    # The text stays in the form for the next step.
    assert form_data(response, field="description")["description"] == text_with_script


def test_with_htmx_the_preview_is_only_the_fragment(client_for, own_measure):
    owner = client_for("owner")
    data = form_data(owner.get(description_url(own_measure)), field="description")

    response = owner.post(
        description_url(own_measure),
        data | {"description": "Kort *tekst*.", "_preview": "1"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<section id="preview"')
    assert "<em>tekst</em>" in html


def test_saving_the_description_updates_the_public_page(client_for, own_measure, client):
    owner = client_for("owner")
    data = form_data(owner.get(description_url(own_measure)), field="description")

    response = owner.post(
        description_url(own_measure), data | {"description": "Helt ny *tekst*.", "_save": "1"}
    )

    assert response.status_code == 302
    row = Measure.objects.get(pk=own_measure.pk)
    assert row.description == "Helt ny *tekst*."
    assert row.history.latest("history_date").history_change_reason == "Beskrivelsen er endret"
    assert "<em>tekst</em>" in client.get(own_measure.get_absolute_url()).content.decode()


def test_saving_an_unchanged_description_says_so_and_writes_nothing(client_for, own_measure):
    owner = client_for("owner")
    data = form_data(owner.get(description_url(own_measure)), field="description")

    owner.post(description_url(own_measure), data | {"_save": "1"})

    assert Measure.objects.get(pk=own_measure.pk).version == own_measure.version
    assert "var uendret; ingenting er lagret" in text(owner.get(HOME))


def test_a_stale_description_comes_back_with_the_changes(client_for, own_measure):
    owner = client_for("owner")
    data = form_data(owner.get(description_url(own_measure)), field="description")
    status_update_create(measure=own_measure, status=Status.ON_TRACK, progress=50)  # meanwhile

    response = owner.post(
        description_url(own_measure), data | {"description": "Min tekst.", "_save": "1"}
    )

    assert response.status_code == 200
    assert "er endret av noen andre" in text(response)
    assert Measure.objects.get(pk=own_measure.pk).description == "Gammel **beskrivelse**."
    again = form_data(response, field="description")
    assert again["description"] == "Min tekst."
    assert owner.post(description_url(own_measure), again | {"_save": "1"}).status_code == 302


# Indicator values ---------------------------------------------------------------------------------


def value_form(client: Client, measure: Measure, indicator: Indicator) -> dict[str, Any]:
    return form_data(client.get(indicators_url(measure)), field=f"indikator-{indicator.pk}-date")


def test_the_owner_records_an_indicator_value(client_for, own_measure, own_indicator, client):
    owner = client_for("owner")
    data = value_form(owner, own_measure, own_indicator) | {
        f"indikator-{own_indicator.pk}-date": "2025-03-01",
        f"indikator-{own_indicator.pk}-value": "12,5",
        f"indikator-{own_indicator.pk}-note": "Fra registeret.",
    }

    response = owner.post(indicators_url(own_measure), data)

    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=own_indicator)
    assert (value.date, value.value, value.note) == (
        dt.date(2025, 3, 1),
        Decimal("12.5"),
        "Fra registeret.",
    )
    page = owner.get(indicators_url(own_measure))
    assert "er registrert" in text(page)
    assert "12,5" in text(page)


def test_a_second_value_the_same_date_is_a_form_error(client_for, own_measure, own_indicator):
    IndicatorValueFactory(indicator=own_indicator, date=dt.date(2025, 3, 1), value=Decimal(7))
    owner = client_for("owner")
    data = value_form(owner, own_measure, own_indicator) | {
        f"indikator-{own_indicator.pk}-date": "2025-03-01",
        f"indikator-{own_indicator.pk}-value": "9",
    }

    response = owner.post(indicators_url(own_measure), data)

    assert response.status_code == 200
    assert "Indikatoren har alt verdien 7 for 01.03.2025" in text(response)
    assert IndicatorValue.objects.filter(indicator=own_indicator).count() == 1


def test_an_indicator_of_another_measure_cannot_be_posted_through_mine(
    client_for, own_measure, own_indicator, other_indicator
):
    owner = client_for("owner")
    data = value_form(owner, own_measure, own_indicator) | {
        "indicator": str(other_indicator.pk),
        f"indikator-{other_indicator.pk}-date": "2025-03-01",
        f"indikator-{other_indicator.pk}-value": "9",
    }

    before = IndicatorValue.objects.count()

    assert owner.post(indicators_url(own_measure), data).status_code == 404
    assert IndicatorValue.objects.count() == before
