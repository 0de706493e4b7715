"""Page 1 after the cover, «Til styringsgruppen», read from the PDF with pypdf: the decisions,
the changes since the previous issued report (with dates and days moved), the late milestones and
the measures not updated within the stale limit; completed and stopped measures never listed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from measures.models import Measure
from measures.services import status_update_create
from measures.status import Status
from reports.models import Scope
from reports.schema import Snapshot
from reports.snapshot import build_snapshot
from tests.measures.factories import DecisionFactory, MeasureFactory, MilestoneFactory
from tests.reports.conftest import TODAY, Small, make_report, small_snapshot, update
from tests.reports.test_rendering import ARTEFACTS, page_texts, render
from tests.teams.factories import UserFactory

pytestmark = pytest.mark.usefixtures("media")


def page_one(snapshot: Snapshot, *, compact: bool = False) -> str:
    """The text of the page after the cover (page 1 of the report proper)."""
    texts = page_texts(render(snapshot, compact=compact).pdf)
    assert texts[1].startswith("Til styringsgruppen"), texts[1][:80]
    return texts[1]


def issued_before(small: Small, **kwargs: Any) -> None:
    """An issued programme report of the plan as it is now (its snapshot stored with it)."""
    make_report(
        title="Statusrapport juni 2024",
        period_end=dt.date(2024, 6, 30),
        snapshot=small_snapshot(small),
        **kwargs,
    )


def test_the_first_report_says_there_is_no_earlier_one(small: Small) -> None:
    snapshot = small_snapshot(small)

    assert snapshot["since_previous"] == {
        "previous": None,
        "delayed": [],
        "completed": [],
        "stopped": [],
        "moved": [],
    }
    text = page_one(snapshot)
    assert (
        "Endringer siden forrige rapport Dette er den første rapporten med dette omfanget" in text
    )


@pytest.mark.parametrize("compact", [False, True])
def test_changes_since_the_previous_report_with_dates_and_days_moved(
    small: Small, compact: bool
) -> None:
    bridge, harbour, club = small.published
    bridge.forecast_end = dt.date(2025, 12, 31)
    bridge.save()
    issued_before(small)
    # Since then: the club is delayed (its first expected end: not a move), the bridge completed
    # (its expected end moved), a new measure stopped.
    status_update_create(
        measure=club,
        status=Status.DELAYED,
        progress=5,
        comment="Mangler lokale.",
        date=dt.date(2024, 9, 2),
        forecast_end=dt.date(2026, 3, 1),
        author_name="Prosjektleder",
    )
    status_update_create(
        measure=bridge,
        status=Status.COMPLETED,
        progress=100,
        comment="Åpnet.",
        date=dt.date(2024, 10, 1),
        forecast_end=dt.date(2024, 10, 1),
        author_name="Prosjektleder",
    )
    stopped = MeasureFactory(focus_area=club.focus_area, title="Nedlagt tiltak")
    update(stopped, Status.STOPPED, dt.date(2024, 11, 5), "Ingen midler.", 5)

    snapshot = small_snapshot(small)
    text = page_one(snapshot, compact=compact)

    since = snapshot["since_previous"]
    assert since is not None and since["previous"] is not None
    assert since["previous"]["title"] == "Statusrapport juni 2024"
    assert "Sammenlignet med «Statusrapport juni 2024» (per 30.06.2024)" in text
    assert f"{club.title} ! Forsinket (var Ikke startet) 02.09.2024" in text
    assert f"{bridge.title} ✓ Gjennomført (var Forsinket) 01.10.2024" in text
    assert "Nedlagt tiltak ✕ Stanset (ikke med i forrige rapport) 05.11.2024" in text
    # The expected end: before, now, and how far it moved (the largest move first).
    assert f"{bridge.title} 31.12.2025 01.10.2024 456 dager tidligere" in text
    assert since["moved"][0]["days"] == -456
    assert len(since["moved"]) == 1
    assert "4 endringer siden forrige rapport" in text
    # Nothing of the harbour (completed before the previous report too).
    assert harbour.title not in text


def test_a_focus_area_report_compares_with_the_previous_one_of_that_focus_area(
    small: Small,
) -> None:
    roads = small.published[0].focus_area
    issued_before(small)  # a programme report: not this one's previous

    snapshot = build_snapshot(
        programme=small.programme,
        title="Samferdsel",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30),
        focus_area=roads,
        today=TODAY,
    )
    assert snapshot["since_previous"] is not None
    assert snapshot["since_previous"]["previous"] is None

    make_report(title="Samferdsel før", scope=Scope.FOCUS_AREA, focus_area=roads)
    again = build_snapshot(
        programme=small.programme,
        title="Samferdsel",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30),
        focus_area=roads,
        today=TODAY,
    )
    assert again["since_previous"] is not None
    previous = again["since_previous"]["previous"]
    assert previous is not None and previous["title"] == "Samferdsel før"
    # It has no snapshot (written directly): every listed measure counts as new there.
    assert [e["measure"] for e in again["since_previous"]["completed"]] == ["Utvide fiskerihavna"]


def test_stale_measures_are_listed_and_completed_or_stopped_never(small: Small) -> None:
    bridge, harbour, club = small.published
    stopped = MeasureFactory(focus_area=club.focus_area, title="Nedlagt tiltak")
    update(stopped, Status.STOPPED, dt.date(2024, 6, 2), "Ingen midler.", 5)
    snapshot = small_snapshot(small)  # today is 15 January 2025: the running ones are stale

    text = page_one(snapshot)

    stale = text[text.index("Ikke oppdatert på 90 dager") :]
    assert (
        f"{bridge.title} · {bridge.responsible.name} · Sist oppdatert 03.05.2024 "  # type: ignore[union-attr]
        "(for 8 måneder siden)"
    ) in stale
    assert f"{club.title} · {club.responsible.name} · Sist oppdatert aldri" in stale  # type: ignore[union-attr]
    assert "2 tiltak ikke oppdatert på 90 dager" in text
    # Completed (the harbour, last updated in August 2024) and stopped: never listed.
    assert harbour.title not in text
    assert "Nedlagt tiltak" not in text
    assert {row["status"] for row in snapshot["attention"]} <= {"ikke-startet", "forsinket"}


@pytest.mark.parametrize("compact", [False, True])
def test_decisions_and_late_milestones_are_on_page_one(small: Small, compact: bool) -> None:
    bridge, harbour, club = small.published
    asker = UserFactory(first_name="Sigrid", last_name="Berg")
    DecisionFactory(
        measure=bridge,
        question="Skal vi betale leverandøren for forsinkelsen?",
        requested_by=asker,
        requested_at=dt.datetime(2024, 12, 2, 10, tzinfo=dt.UTC),
    )
    DecisionFactory(
        measure=club,
        question="Allerede avgjort?",
        decided_on=dt.date(2024, 12, 20),
        decision="Ja.",
    )
    MilestoneFactory(measure=bridge, title="Brua åpnet for trafikk", due_date=dt.date(2024, 12, 1))
    MilestoneFactory(measure=club, title="Lokaler leid", due_date=dt.date(2025, 1, 10))
    MilestoneFactory(  # done: not late
        measure=club,
        title="Styret valgt",
        due_date=dt.date(2024, 11, 1),
        completed_on=dt.date(2024, 11, 3),
    )
    MilestoneFactory(measure=club, title="Åpningsfest", due_date=dt.date(2025, 3, 1))  # coming
    MilestoneFactory(  # of a completed measure: never on an attention list
        measure=harbour, title="Kaia forlenget", due_date=dt.date(2024, 10, 1)
    )
    snapshot = small_snapshot(small)  # today is 15 January 2025

    text = page_one(snapshot, compact=compact)

    decisions = text[text.index("Til beslutning") : text.index("Endringer siden forrige")]
    assert bridge.title in decisions
    assert "Skal vi betale leverandøren for forsinkelsen?" in decisions
    assert "Meldt 02.12.2024 av Sigrid Berg" in decisions
    assert "Allerede avgjort?" not in decisions
    late = text[text.index("Forsinkede milepæler") : text.index("Ikke oppdatert på")]
    # Longest overdue first: tiltak, milepæl, frist, days late.
    assert f"{bridge.title} Brua åpnet for trafikk 01.12.2024 45 dager" in late
    assert f"{club.title} Lokaler leid 10.01.2025 5 dager" in late
    assert late.index("Brua åpnet") < late.index("Lokaler leid")
    for title in ("Styret valgt", "Åpningsfest", "Kaia forlenget"):
        assert title not in late
    assert "1 sak til beslutning" in text
    assert "2 forsinkede milepæler" in text


def test_no_decisions_and_no_late_milestones_say_so(small: Small) -> None:
    text = page_one(small_snapshot(small), compact=True)

    assert "Til beslutning Ingen saker venter på beslutning fra styringsgruppen." in text
    assert "Forsinkede milepæler Ingen milepæler er forsinket." in text
    assert "0 saker til beslutning" in text


@pytest.mark.parametrize("layout", ["full", "compact"])
def test_page_one_is_rendered_to_png_for_a_visual_check(small: Small, layout: str) -> None:
    """Everything page 1 can hold at once, as pdftoppm -r 80 -f 2 -l 2 draws it, in
    test-artifacts/reports/page-one-<layout>-2.png."""
    bridge, harbour, club = small.published
    bridge.forecast_end = dt.date(2025, 12, 31)
    bridge.save()
    issued_before(small)
    status_update_create(
        measure=club,
        status=Status.DELAYED,
        progress=5,
        comment="Mangler lokale.",
        date=dt.date(2024, 9, 2),
        author_name="Prosjektleder",
    )
    update(bridge, Status.ON_TRACK, dt.date(2024, 10, 1), "Ny plan.", 60)
    Measure.objects.filter(pk=bridge.pk).update(forecast_end=dt.date(2026, 4, 30))
    stopped = MeasureFactory(focus_area=club.focus_area, title="Nedlagt tiltak")
    update(stopped, Status.STOPPED, dt.date(2024, 11, 5), "Ingen midler.", 5)
    DecisionFactory(
        measure=club,
        question="Skal klubben flytte inn i skolens lokaler fra høsten, med kommunen som "
        "leietaker, eller skal vi vente på nytt bygg?",
        requested_by=UserFactory(first_name="Kari", last_name="Nordmann"),
        requested_at=dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC),
    )
    MilestoneFactory(measure=bridge, title="Anbud tildelt", due_date=dt.date(2024, 11, 15))
    MilestoneFactory(measure=club, title="Lokaler leid", due_date=dt.date(2025, 1, 10))
    snapshot = small_snapshot(small)
    pdf = render(snapshot, compact=layout == "compact").pdf

    pngs = page_to_png(pdf, f"page-one-{layout}", page=2)

    assert [png.name for png in pngs] == [f"page-one-{layout}-2.png"]
    assert pngs[0].stat().st_size > 10_000  # not a blank page
    text = page_texts(pdf)[1]
    for heading in ("Til beslutning", "Endringer siden forrige rapport", "Forsinkede milepæler"):
        assert heading in text


def page_to_png(pdf: bytes, name: str, *, page: int) -> list[Path]:
    """One page as pdftoppm -r 80 draws it, in test-artifacts/reports/<name>-<page>.png."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm (poppler-utils) is missing in CI")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob(f"{name}-*.png"):
        old.unlink()
    source = ARTEFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", str(page), "-l", str(page), source, ARTEFACTS / name],
        check=True,
        timeout=120,
    )
    return sorted(ARTEFACTS.glob(f"{name}-*.png"))
