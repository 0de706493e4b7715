"""Milestones and decisions on the public side: the measure page (done / late / coming, the
pending decision, decisions in the timeline), the measure's feed, «Trenger oppmerksomhet», and
the open data (/data/milepaeler.csv and .json)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drivkraft.core.revision import content_changed
from measures.models import Measure, Milestone
from measures.selectors import AttentionReason, needs_attention
from measures.services import decision_record, decision_request, status_update_create
from measures.status import Status
from tests.conftest import DRAFT_COMMENT, MEASURE_SLUG, Portal, plain
from tests.measures.factories import DecisionFactory, MilestoneFactory

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE = f"/tiltak/{MEASURE_SLUG}/"


def page_text(client: Client, url: str = PAGE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return plain(response.content.decode())


def section(html: str, heading_id: str) -> str:
    return plain(html.split(f'id="{heading_id}"')[1].split("</section>")[0])


def late_milestone(portal: Portal, title: str = "Søknad sendt", days: int = 10) -> Milestone:
    milestone = MilestoneFactory(
        measure=portal.measure,
        title=title,
        due_date=timezone.localdate() - dt.timedelta(days=days),
        order=5,
    )
    content_changed()
    return milestone


# --- The measure page ---------------------------------------------------------------------------


def test_milestones_are_split_into_late_coming_and_done(client, portal):
    late_milestone(portal)

    html = client.get(PAGE).content.decode()
    part = section(html, "milestones-heading")

    assert part.index("Forsinket (1)") < part.index("Kommende") < part.index("Nådd")
    due = timezone.localdate() - dt.timedelta(days=10)
    assert "Søknad sendt Forsinket: frist" in part  # said in words, not by colour alone
    assert str(due.year) in part
    assert "Første kull tatt opp frist 15. august 2030" in part
    assert "Avtale med skolene nådd 20. januar 2025 (frist 1. februar 2025)" in part


def test_a_measure_without_milestones_has_no_milestone_section(client, portal):
    portal.measure.milestones.all().delete()
    content_changed()

    assert "Milepæler" not in page_text(client)


def test_a_pending_decision_is_shown_with_its_question(client, portal):
    decision_request(measure=portal.measure, question="Skal tiltaket utvides til Narvik?")

    text = page_text(client)

    assert "Trenger beslutning meldt til styringsgruppen" in text
    assert "Skal tiltaket utvides til Narvik?" in text


def test_a_recorded_decision_joins_the_timeline(client, portal):
    decision = decision_request(measure=portal.measure, question="Skal vi forlenge?")
    decision_record(decision=decision, decided_on=dt.date(2025, 6, 2), text="Forlenget ett år.")

    html = client.get(PAGE).content.decode()
    timeline = section(html, "timeline-heading")

    assert "Trenger beslutning" not in plain(html)  # no longer pending
    assert "2. juni 2025 Beslutning i styringsgruppen" in timeline
    assert "Spørsmål: Skal vi forlenge? Beslutning: Forlenget ett år." in timeline
    # Newest first, by date: the status update (dated the day the portal was built) first.
    assert portal.update.date > dt.date(2025, 6, 2)
    assert timeline.index("Godt i gang") < timeline.index("Forlenget ett år.")
    assert f'id="beslutning-{decision.pk}"' in html


def test_the_measure_page_has_no_query_per_milestone_or_decision(client, portal, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    few = count()
    for n in range(40):
        MilestoneFactory(
            measure=portal.measure,
            due_date=dt.date(2020, 1, 1) + dt.timedelta(days=n * 30),
            completed_on=dt.date(2020, 1, 1) if n % 3 == 0 else None,
        )
    DecisionFactory.create_batch(3, measure=portal.measure)
    DecisionFactory.create_batch(
        5, measure=portal.measure, decided_on=dt.date(2024, 5, 1), decision="Ja."
    )
    content_changed()

    assert count() == few


# --- The feed -----------------------------------------------------------------------------------


def feed_entries(client: Client) -> dict[str, ET.Element]:
    response = client.get(f"/tiltak/{MEASURE_SLUG}/feed/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    return {e.findtext(f"{ATOM}id") or "": e for e in root.iter(f"{ATOM}entry")}


def test_the_feed_has_the_decision_and_the_milestones(client, portal):
    decision = decision_request(measure=portal.measure, question="Skal vi forlenge?")
    decision_record(decision=decision, decided_on=dt.date(2025, 6, 2), text="Forlenget ett år.")
    late = late_milestone(portal)
    reached = portal.measure.milestones.get(title="Avtale med skolene")

    entries = feed_entries(client)

    prefix = "tag:halogalandsradet.no,2018:drivkraft"
    entry = entries[f"{prefix}/beslutning/{decision.pk}"]
    assert entry.findtext(f"{ATOM}title") == "Lærlingløftet: beslutning i styringsgruppen"
    assert "Forlenget ett år." in (entry.findtext(f"{ATOM}summary") or "")
    assert (entry.findtext(f"{ATOM}published") or "").startswith("2025-06-02")
    late_entry = entries[f"{prefix}/milepael/{late.pk}/forsinket"]
    assert late_entry.findtext(f"{ATOM}title") == "Lærlingløftet: milepæl forsinket – Søknad sendt"
    assert f"{prefix}/milepael/{reached.pk}/nadd" in entries
    # A coming milestone is no event yet.
    assert len([i for i in entries if "/milepael/" in i]) == 2
    # The ids stay when the feed is fetched again.
    assert set(feed_entries(client)) == set(entries)


def test_a_hidden_measures_decisions_are_in_no_feed(client, portal):
    for url in ("/feed/", f"/tiltak/{MEASURE_SLUG}/feed/"):
        assert DRAFT_COMMENT not in client.get(url).content.decode()


# --- «Trenger oppmerksomhet» --------------------------------------------------------------------


@pytest.fixture
def on_plan(portal):
    """Both public measures end in the future, as planned: nothing is behind to begin with."""
    future = timezone.localdate() + dt.timedelta(days=400)
    Measure.objects.filter(pk__in=[portal.measure.pk, portal.other_measure.pk]).update(
        planned_end=future, forecast_end=None
    )
    content_changed()


def test_late_milestones_and_pending_decisions_need_attention(client, portal, on_plan):
    today = timezone.localdate()
    late = late_milestone(portal)
    decision_request(measure=portal.measure, question="Trenger vi mer penger?")

    items = needs_attention(today=today).items

    assert [(i.reason, i.detail) for i in items] == [
        (AttentionReason.LATE_MILESTONE, late.title),
        (AttentionReason.DECISION_PENDING, "Trenger vi mer penger?"),
    ]
    home = section(client.get("/").content.decode(), "attention-heading")
    assert "2 saker trenger oppmerksomhet" in home
    assert "Milepæl forsinket: Søknad sendt frist" in home
    assert "Trenger beslutning: Trenger vi mer penger?" in home


def test_completed_stopped_and_hidden_measures_are_never_listed(client, portal, on_plan):
    late_milestone(portal)
    DecisionFactory(measure=portal.measure)
    status_update_create(measure=portal.measure, status=Status.COMPLETED, progress=100)
    MilestoneFactory(measure=portal.other_measure, due_date=dt.date(2020, 1, 1))
    status_update_create(
        measure=portal.other_measure, status=Status.STOPPED, progress=0, comment="Stanset."
    )

    # The draft and the archived measure have a late milestone and a pending decision too.
    assert needs_attention(today=timezone.localdate()).items == []


def test_a_milestone_due_today_is_not_late(portal, on_plan):
    MilestoneFactory(measure=portal.measure, due_date=timezone.localdate())

    assert needs_attention(today=timezone.localdate()).items == []


# --- Open data ----------------------------------------------------------------------------------


def test_milestones_open_data(client, portal):
    late = late_milestone(portal, title='=HYPERLINK("https://example.org")')

    response = client.get("/data/milepaeler.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    data = client.get("/data/milepaeler.json").json()["milepaeler"]

    assert [r["tittel"] for r in rows] == [
        "Avtale med skolene",
        "Første kull tatt opp",
        '\'=HYPERLINK("https://example.org")',  # a spreadsheet shows it, never runs it
    ]
    assert [r["tilstand"] for r in rows] == ["nadd", "kommende", "forsinket"]
    assert rows[0]["fullfort"] == "2025-01-20" and rows[1]["fullfort"] == ""
    assert {r["tiltak"] for r in rows} == {MEASURE_SLUG}
    by_id = {row["id"]: row for row in data}
    assert by_id[late.pk]["tittel"] == late.title  # JSON keeps the text as it is
    assert by_id[late.pk]["frist"] == late.due_date.isoformat()
    assert DRAFT_COMMENT not in response.content.decode()


@pytest.mark.parametrize("url", ["/data/milepaeler.csv", "/data/milepaeler.json"])
def test_milestone_files_are_linked_from_the_data_page(client, portal, url):
    assert f'href="{url}"' in client.get("/data/").content.decode()
