"""The compact current-status report (`/rapporter/gjeldende.pdf`): one line per measure, grouped
by status; every change of the period counted and the newest listed; delayed and stopped measures
named; the same tagged, numbered PDF as the issued reports.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from measures.status import Status
from reports.layouts import render_report_html
from reports.layouts.compact import LATEST_CHANGES
from reports.models import Scope
from reports.schema import Snapshot
from reports.snapshot import build_snapshot
from tests.measures.factories import MeasureFactory
from tests.reports.conftest import (
    TODAY,
    Plan,
    Small,
    make_report,
    render_current,
    small_snapshot,
    update,
)
from tests.reports.test_rendering import (
    PAGE_FOOTER,
    SHORT_DATE,
    Rendered,
    demo_snapshot,
    outline,
    page_texts,
    render,
    render_first_pages,
    section,
    toc_entries,
    words,
)

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "Til styringsgruppen",
    "Sammendrag",
    "Tiltak som trenger oppmerksomhet",
    "Tiltakene per satsingsområde",
    "Indikatorer: mål og resultat",
    "Kommunene",
]


def render_compact(snapshot: Snapshot) -> Rendered:
    return render(snapshot, compact=True)


@pytest.fixture(scope="module")
def demo_current(django_db_setup: None, django_db_blocker: Any) -> Rendered:
    """The demo programme's current status, rendered once."""
    return render_compact(demo_snapshot(django_db_blocker, "Gjeldende status til prøve"))


# --- Every measure, one line each -------------------------------------------------------------


def test_every_published_demo_measure_is_in_the_current_report(demo_current: Rendered) -> None:
    text = " ".join(page_texts(demo_current.pdf))
    titles = [m["title"] for area in demo_current.snapshot["focus_areas"] for m in area["measures"]]

    assert len(titles) >= 20
    assert [title for title in titles if words(title) not in text] == []


def test_the_measures_stand_one_line_each_under_their_status(small: Small) -> None:
    bridge, harbour, club = small.published
    rendered = render_compact(small_snapshot(small))
    assert bridge.responsible is not None

    measures = section(page_texts(rendered.pdf), "Tiltakene per satsingsområde", "Indikatorer:")
    # Samferdsel: the bridge is delayed, the harbour completed (their status now).
    ungdom = measures.index("Ungdom")
    delayed = measures.index("! Forsinket (1)")
    bridge_line = measures.index(f"⚑ {bridge.title} · 45 % · {bridge.responsible.name} · ")
    assert delayed < bridge_line < ungdom
    # Then the planned end (month) and the last update, each with its label.
    assert measures[bridge_line:].startswith(
        f"⚑ {bridge.title} · 45 % · {bridge.responsible.name} · Planlagt slutt 12.2025 · "
        "Sist oppdatert 03.05.2024 "
    )
    completed = measures.index("✓ Gjennomført (1)")
    assert completed < measures.index(f"{harbour.title} · 100 % · ") < ungdom
    assert ungdom < measures.index("○ Ikke startet (1)") < measures.index(f"⚑ {club.title} · 0 %")
    assert small.draft.title not in " ".join(page_texts(rendered.pdf))


def test_the_html_keeps_every_user_value_escaped(small: Small) -> None:
    bridge = small.published[0]
    bridge.title = 'Bru <img src="file:///etc/passwd"> & «sund»'
    bridge.save()

    html = render_report_html(small_snapshot(small), compact=True)

    assert "<img" not in html.split("<body", 1)[1]
    assert "Bru &lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; «sund»" in html


# --- Changes and attention --------------------------------------------------------------------


def test_all_changes_are_counted_and_the_newest_listed_newest_first(small: Small) -> None:
    club = small.published[2]
    day = dt.date(2024, 2, 1)
    statuses = [Status.ON_TRACK, Status.DELAYED] * 8  # 16 transitions for the club
    for number, status in enumerate(statuses, start=1):
        update(club, status, day + dt.timedelta(days=number), f"Endring {number}.", number)
    snapshot = small_snapshot(small)
    total = len(snapshot["changes"])
    assert total == len(statuses) + 2  # and the bridge's two

    rendered = render_compact(snapshot)

    changes = section(
        page_texts(rendered.pdf), "Endringer siden 1. februar 2024", "Tiltak som trenger"
    )
    assert f"{total} statusendringer fra 1. februar 2024 til 30. juni 2024" in changes
    assert f"De {LATEST_CHANGES} nyeste står under, nyeste først." in changes
    # A table: focus area, then the changes to each status (in the vocabulary's order), in all.
    assert "Til ○ Ikke startet Til ◐ Under arbeid etter plan Til ! Forsinket" in changes
    assert "Samferdsel 0 1 1 0 0 2" in changes
    assert "Ungdom 0 8 8 0 0 16" in changes
    newest_first = sorted((c["date"] for c in snapshot["changes"]), reverse=True)
    listed = [
        "-".join(reversed(d.split(".")))
        for d in SHORT_DATE.findall(changes.split("nyeste først.", 1)[1])
    ]
    assert listed == newest_first[:LATEST_CHANGES]
    assert "Endring 16." in changes
    assert "Endring 6." not in changes  # the eleventh newest


def test_a_period_without_changes_says_so(small: Small) -> None:
    snapshot = build_snapshot(
        programme=small.programme,
        title="Stille periode",
        period_start=dt.date(2024, 9, 1),
        period_end=dt.date(2024, 9, 30),
        today=TODAY,
    )

    text = " ".join(page_texts(render_compact(snapshot).pdf))

    assert "Ingen statusendringer fra 1. september 2024 til 30. september 2024." in text


def test_attention_names_the_delayed_and_counts_the_only_stale(small: Small) -> None:
    bridge, harbour, club = small.published
    stopped = MeasureFactory(focus_area=club.focus_area, title="Nedlagt tiltak")
    update(stopped, Status.STOPPED, dt.date(2024, 6, 2), "Ingen midler.", 5)
    snapshot = small_snapshot(small)  # today is 2025: the running measures are stale by then

    rendered = render_compact(snapshot)

    attention = section(
        page_texts(rendered.pdf), "Tiltak som trenger oppmerksomhet", "Tiltakene per"
    )
    assert "2 tiltak under arbeid er forsinket, har forventet slutt etter planlagt" in attention
    assert f"{bridge.title} (forsinket, ikke oppdatert)" in attention
    assert "Nedlagt tiltak" not in attention  # stopped: never on an attention list
    assert "1 tiltak er med bare fordi de ikke er oppdatert" in attention
    assert club.title not in attention  # never updated: flagged ⚑ in the measure list instead
    assert harbour.title not in attention  # completed
    measures = section(page_texts(rendered.pdf), "Tiltakene per satsingsområde", "Indikatorer:")
    assert f"⚑ {club.title}" in measures
    assert f"⚑ {harbour.title}" not in measures


# --- The PDF as a document --------------------------------------------------------------------


def test_every_page_says_side_x_av_y_and_the_contents_are_right(demo_current: Rendered) -> None:
    texts = page_texts(demo_current.pdf)
    footers = [PAGE_FOOTER.findall(text) for text in texts]
    assert footers == [[(str(n), str(demo_current.pages))] for n in range(1, len(texts) + 1)]

    areas = [area["name"] for area in demo_current.snapshot["focus_areas"]]
    entries = toc_entries(demo_current.pdf, CHAPTERS + areas)
    bookmarks = {title: page for _depth, title, page in outline(demo_current.pdf)}
    for name in CHAPTERS + areas:
        assert entries[name] == bookmarks[name], name
        assert name in texts[entries[name] - 1]


def test_the_current_report_is_compact_and_tagged(demo_current: Rendered) -> None:
    reader = PdfReader(io.BytesIO(demo_current.pdf))
    catalog = reader.root_object

    # 23 published demo measures with 80 updates: a handful of pages, not a book.
    # (the cover, page 1 for the steering group and the contents among them).
    assert demo_current.pages <= 9
    assert str(catalog["/Lang"]) == "nb"
    assert "/StructTreeRoot" in catalog
    assert reader.metadata is not None
    assert reader.metadata.title == "Gjeldende status til prøve"


def test_the_first_pages_are_rendered_to_png_for_a_visual_check(demo_current: Rendered) -> None:
    pngs = render_first_pages(demo_current.pdf, "gjeldende", 4)

    assert len(pngs) == 4
    assert all(png.read_bytes().startswith(b"\x89PNG") for png in pngs)
    assert all(png.stat().st_size > 5000 for png in pngs)  # no blank page


# --- /rapporter/gjeldende.pdf ---------------------------------------------------------------------


def test_the_current_pdf_runs_from_the_last_issued_programme_report(
    steering: Any, plan: Plan, media: Any
) -> None:
    make_report(period_end=dt.date(2024, 6, 30))
    make_report(
        scope=Scope.FOCUS_AREA, focus_area=plan.infrastructure, period_end=dt.date(2025, 1, 31)
    )
    client = Client()
    client.force_login(steering)
    render_current()

    response = client.get("/rapporter/gjeldende.pdf")

    text = " ".join(page_texts(response.content))
    # From the day after the last whole-programme report (a focus area's report does not count).
    assert "Endringer siden 1. juli 2024" in text
    for measure in (plan.bridge, plan.harbour, plan.club):
        assert measure.title in text
    assert plan.draft.title not in text


def test_issuing_a_programme_report_renews_the_current_pdf(plan: Plan, media: Any) -> None:
    first = render_current().pdf.read()

    make_report(period_end=dt.date(2024, 6, 30))
    second = render_current().pdf.read()

    assert "Endringer siden 1. juli 2024" not in " ".join(page_texts(first))
    assert "Endringer siden 1. juli 2024" in " ".join(page_texts(second))
