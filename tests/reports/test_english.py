"""/en/rapporter/gjeldende.pdf: the current status with English labels, its Norwegian content
marked lang="nb" (in the HTML and, as /Lang, in the PDF's structure tree); a stored file of its own,
made by the worker's task like the Norwegian one, never inside a request."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from reports.current import current_report_newest, current_report_render, current_report_request
from reports.current import current_state as state_of
from reports.layouts import render_report_html
from reports.models import CurrentReportState
from reports.pdf import render_pdf
from tests.reports.conftest import FakeRender, Plan, Small, fake_pdf, logged_in, small_snapshot
from tests.reports.test_rendering import words

pytestmark = pytest.mark.usefixtures("media")


def render_in(language: str) -> None:
    """What the worker's task does for one language."""
    row = current_report_request(state=state_of(language), enqueue=False)
    done = current_report_render(current_id=row.pk)
    assert done is not None and done.state == CurrentReportState.DONE, done


def structure_languages(pdf: bytes) -> list[tuple[str, str]]:
    """The catalogue's /Lang, then (type, /Lang) of every structure element that has one."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stack: list[Any] = [document.Root.StructTreeRoot.K]
        seen: set[tuple[int, int]] = set()
        while stack:
            kid = stack.pop()
            if isinstance(kid, pikepdf.Array):
                stack.extend(kid)
            elif isinstance(kid, pikepdf.Dictionary) and kid.objgen not in seen:
                seen.add(kid.objgen)
                if "/Lang" in kid:
                    found.append((str(kid.S), str(kid.Lang)))
                if "/K" in kid:
                    stack.append(kid.K)
        catalogue = str(document.Root.Lang)
    return [("Catalog", catalogue), *found]


def test_the_html_has_english_labels_and_marks_the_norwegian_content(small: Small) -> None:
    bridge = small.published[0]
    html = render_report_html(small_snapshot(small), compact=True, language="en")

    assert '<html lang="en">' in html
    for label in (
        "For the steering group",
        "For decision",
        "Changes since the previous report",
        "Late milestones",
        "Key figures",
        "The measures per focus area",
        "Planned end 12.2025",
        "Last updated 03.05.2024",
        "In progress, on plan",
    ):
        assert label in html, label
    assert f'<span lang="nb">{bridge.title}</span>' in html
    assert '<h3 id="omrade-1-h" lang="nb">Samferdsel</h3>' in html
    # Norwegian labels are gone; in Norwegian nothing is marked (the document is nb).
    assert "Til styringsgruppen" not in html and "Planlagt slutt" not in html
    norwegian = render_report_html(small_snapshot(small), compact=True)
    assert '<html lang="nb">' in norwegian and 'lang="nb"' not in norwegian.split("<body", 1)[1]


def test_the_english_pdf_has_english_labels_and_nb_in_its_structure(small: Small) -> None:
    bridge = small.published[0]
    snapshot = small_snapshot(small)
    pdf, _pages = render_pdf(
        render_report_html(snapshot, compact=True, language="en"),
        title=snapshot["title"],
        language="en",
    )

    texts = [words(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]
    assert texts[1].startswith("For the steering group")
    assert "Page 2 of" in texts[1]
    assert "Side " not in " ".join(texts)
    assert f"{bridge.title} · 45 %" in " ".join(texts)
    languages = structure_languages(pdf)
    assert languages[0] == ("Catalog", "en")
    marked = set(languages[1:])
    assert {lang for _kind, lang in marked} == {"nb"}
    # Titles (spans), focus areas (headings), table rows: the Norwegian content in each form.
    assert {"/Span", "/H3", "/TH"} <= {kind for kind, _lang in marked}


def test_the_norwegian_pdf_marks_no_language_below_the_catalogue(small: Small) -> None:
    snapshot = small_snapshot(small)
    pdf, _pages = render_pdf(render_report_html(snapshot, compact=True), title=snapshot["title"])

    assert structure_languages(pdf) == [("Catalog", "nb")]


def test_en_serves_its_own_file_made_by_the_task(
    plan: Plan, steering: Any, fake_render: FakeRender
) -> None:
    client = logged_in(steering)
    render_in("nb")

    # No English file yet: never made in the request, the page says it is on its way.
    waiting = client.get("/en/rapporter/gjeldende.pdf")
    assert waiting.status_code == 503
    assert len(fake_render.calls) == 1
    render_in("en")

    english = client.get("/en/rapporter/gjeldende.pdf")
    norwegian = client.get("/rapporter/gjeldende.pdf")

    assert english.status_code == norwegian.status_code == 200
    assert english.content == fake_pdf(2) and norwegian.content == fake_pdf(1)
    assert fake_render.calls[1].startswith("Current status ")
    assert english["Content-Disposition"].endswith('-en.pdf"')
    assert english["X-Report-Status"] == "current"
    newest = current_report_newest("en")
    assert newest is not None and newest.language == "en"
    assert newest.stamp.startswith("en-") and newest.pdf.name != current_report_newest().pdf.name  # type: ignore[union-attr]


def test_each_language_keeps_its_own_newest_files(plan: Plan, fake_render: FakeRender) -> None:
    render_in("en")
    render_in("nb")

    # A newer Norwegian render does not remove the English file.
    english = current_report_newest("en")
    assert english is not None and english.pdf.storage.exists(english.pdf.name or "")
