"""The report's HTML and PDF: content, page numbers, tagging, metadata, what WeasyPrint may fetch.

Each real render takes a second or more, so the demo report is rendered once for the module (its
data rolled back at once) and the other tests render a small plan of their own.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader
from pypdf.generic import BooleanObject, Destination, DictionaryObject, PdfObject
from pytest_django import DjangoDbBlocker

from measures.models import Measure, Programme
from measures.status import Status
from reports.layouts import render_report_html
from reports.pdf import BASE_URL, StaticOnlyURLFetcher, URLRefused, render_pdf
from reports.schema import Snapshot
from reports.snapshot import build_snapshot
from tests.measures.factories import (
    FocusAreaFactory,
)
from tests.reports.conftest import Small, small_snapshot, update

# Also for the tests that only use `demo`: pytest-django sets up the test database only for a run
# that holds tests marked this way, and the module-scoped render must never reach another database.
pytestmark = pytest.mark.django_db

ARTEFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "reports"
PAGE_FOOTER = re.compile(r"Side (\d+) av (\d+)")
SHORT_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
EVIL = '<img src="file:///etc/passwd">'


def words(text: str) -> str:
    """Text with every run of whitespace as one space: line breaks fall anywhere in a PDF."""
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [words(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def toc_page(texts: list[str]) -> int:
    """The index of the table of contents' page (after the cover and page 1)."""
    # The page numbers (floated right) may come before the heading in the extracted text.
    return next(n for n, text in enumerate(texts) if re.match(r"^[\d ]*Innhold ", text))


def section(texts: list[str], heading: str, next_heading: str) -> str:
    """The text of a chapter: from its heading (not the table of contents' entry) to the next."""
    body = " ".join(texts[toc_page(texts) + 1 :])  # after the cover, page 1 and the contents
    start = body.index(heading)
    return body[start : body.index(next_heading, start)]


@dataclass
class Rendered:
    snapshot: Snapshot
    html: str
    pdf: bytes
    pages: int


def render(
    snapshot: Snapshot, fetcher: StaticOnlyURLFetcher | None = None, *, compact: bool = False
) -> Rendered:
    html = render_report_html(snapshot, compact=compact)
    pdf, pages = render_pdf(html, title=snapshot["title"], url_fetcher=fetcher)
    return Rendered(snapshot, html, pdf, pages)


def demo_snapshot(django_db_blocker: DjangoDbBlocker, title: str) -> Snapshot:
    """The demo programme's snapshot (start to 1 March 2022); the demo data is rolled back at
    once, so a module can render it once and share it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        programme = Programme.objects.get(is_current=True)
        snapshot = build_snapshot(
            programme=programme,
            title=title,
            period_start=programme.start,
            period_end=dt.date(2022, 3, 1),
            today=dt.date(2022, 3, 1),
        )
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Rendered:
    """The demo programme's full report, rendered once."""
    return render(demo_snapshot(django_db_blocker, "Statusrapport til prøve"))


# --- What the PDF says --------------------------------------------------------------------------


def test_the_pdf_holds_every_published_measure_of_the_scope_and_no_draft(small: Small) -> None:
    rendered = render(small_snapshot(small))

    text = " ".join(page_texts(rendered.pdf))
    for measure in small.published:
        assert measure.title in text
    assert small.draft.title not in text
    assert "Utkastet er i gang." not in text


def test_a_focus_area_report_holds_only_that_focus_area(small: Small) -> None:
    bridge, harbour, club = small.published
    rendered = render(small_snapshot(small, focus_area=bridge.focus_area))

    text = " ".join(page_texts(rendered.pdf))
    assert bridge.title in text
    assert harbour.title in text
    assert club.title not in text
    assert small.draft.title not in text


def test_the_demo_report_holds_every_published_demo_measure(demo: Rendered) -> None:
    text = " ".join(page_texts(demo.pdf))
    titles = [m["title"] for area in demo.snapshot["focus_areas"] for m in area["measures"]]

    assert len(titles) >= 20
    assert [title for title in titles if words(title) not in text] == []


def test_the_changes_section_lists_exactly_the_transitions_of_the_period(small: Small) -> None:
    rendered = render(small_snapshot(small))

    changes = section(
        page_texts(rendered.pdf), "Endringer i perioden", "Tiltak som trenger oppmerksomhet"
    )
    # Inside the period, status changed: listed with date, from → to and comment.
    assert SHORT_DATE.findall(changes) == ["01.03.2024", "03.05.2024"]
    assert (
        "01.03.2024 Bygge ny bru over sundet: ○ Ikke startet → ◐ Under arbeid etter plan "
        "(20 %). Anbudet er lyst ut. – Prosjektleder"
    ) in changes
    assert (
        "03.05.2024 Bygge ny bru over sundet: ◐ Under arbeid etter plan → ! Forsinket (45 %). "
        "Leverandøren er forsinket."
    ) in changes
    # Same status, outside the period, or a draft's: not listed.
    for comment in ("Samme status", "Før perioden.", "Etter perioden.", "Utkastet er i gang."):
        assert comment not in changes


def test_a_scope_without_published_measures_still_makes_a_report(small: Small) -> None:
    empty = FocusAreaFactory(programme=small.programme, name="Tomt område", order=3)

    rendered = render(small_snapshot(small, focus_area=empty))

    text = " ".join(page_texts(rendered.pdf))
    assert "Ingen statusendringer i perioden." in text
    assert "Ingen tiltak trenger særskilt oppmerksomhet." in text
    assert "Ingen publiserte tiltak." in text
    assert PAGE_FOOTER.findall(text)[-1] == (str(rendered.pages), str(rendered.pages))


# --- Page numbers -------------------------------------------------------------------------------


def test_every_page_says_side_x_av_y(demo: Rendered) -> None:
    texts = page_texts(demo.pdf)

    assert demo.pages == len(texts) > 5
    footers = [PAGE_FOOTER.findall(text) for text in texts]
    assert footers == [[(str(n), str(demo.pages))] for n in range(1, demo.pages + 1)]


def pdf_dict(value: PdfObject) -> DictionaryObject:
    """A dictionary of the PDF, through its reference if it is one."""
    resolved = value.get_object()
    assert isinstance(resolved, DictionaryObject), resolved
    return resolved


def outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """The PDF's bookmarks as (depth, title, page number from 1), in document order."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif isinstance(item, Destination):
                page = reader.get_destination_page_number(item)
                assert page is not None, item.title
                found.append((depth, words(str(item.title)), page + 1))

    walk(reader.outline, 0)
    return found


def toc_entries(pdf: bytes, names: list[str]) -> dict[str, int]:
    """The table of contents (after page 1) as entry → page number, read in layout order."""
    page = toc_page(page_texts(pdf))
    toc = PdfReader(io.BytesIO(pdf)).pages[page].extract_text(extraction_mode="layout")
    assert "Innhold" in toc
    entries = {}
    for name in names:
        match = re.search(r"^\s*" + re.escape(name) + r"\s+(\d+)\s*$", toc, re.MULTILINE)
        assert match, f"{name!r} is not in the table of contents: {toc}"
        entries[name] = int(match.group(1))
    return entries


def test_the_table_of_contents_gives_the_pages_the_headings_are_on(demo: Rendered) -> None:
    texts = page_texts(demo.pdf)
    chapters = [
        "Til styringsgruppen",
        "Sammendrag",
        "Endringer i perioden",
        "Tiltak som trenger oppmerksomhet",
        "Tiltak per satsingsområde",
        "Indikatorer: mål og resultat",
        "Kommunene",
    ]
    areas = [area["name"] for area in demo.snapshot["focus_areas"]]
    entries = toc_entries(demo.pdf, chapters + areas)

    # Each chapter starts a page (the running header and footer come last in the page's text).
    for chapter in chapters:
        page = entries[chapter]
        assert 1 < page <= demo.pages
        assert texts[page - 1].startswith(chapter), (chapter, page, texts[page - 1][:80])
    # Focus areas: the page of their heading in the measures chapter, per the PDF's own outline.
    bookmarks = outline(demo.pdf)
    chapter_at = next(i for i, b in enumerate(bookmarks) if b[1] == "Tiltak per satsingsområde")
    headings = {
        title: page
        for depth, title, page in bookmarks[chapter_at + 1 :]
        if depth == bookmarks[chapter_at][0] + 1
    }
    for area in areas:
        assert entries[area] == headings[area]
        assert area in texts[entries[area] - 1]
    assert entries["Tiltak per satsingsområde"] <= entries[areas[0]]
    assert entries[areas[-1]] < entries["Indikatorer: mål og resultat"]


# --- The PDF as a document ----------------------------------------------------------------------


def test_the_pdf_is_tagged_with_title_author_and_language(demo: Rendered) -> None:
    reader = PdfReader(io.BytesIO(demo.pdf))
    catalog = reader.root_object

    assert reader.metadata is not None
    assert reader.metadata.title == "Statusrapport til prøve"
    assert reader.metadata.author == "Hålogalandsrådet"
    marked = pdf_dict(catalog["/MarkInfo"])["/Marked"]
    assert isinstance(marked, BooleanObject)
    assert marked.value is True
    assert str(catalog["/Lang"]) == "nb"
    assert "/StructTreeRoot" in catalog
    xmp = reader.xmp_metadata  # declares the PDF/UA conformance
    assert xmp is not None
    assert b"pdfuaid" in xmp.stream.get_data()


def test_the_pdf_embeds_its_fonts(demo: Rendered) -> None:
    reader = PdfReader(io.BytesIO(demo.pdf))
    fonts = {}
    for page in reader.pages[:3]:
        for reference in pdf_dict(pdf_dict(page["/Resources"])["/Font"]).values():
            font = pdf_dict(reference)
            descendants = font.get("/DescendantFonts")
            described = pdf_dict(descendants[0]) if descendants else font
            descriptor = pdf_dict(described["/FontDescriptor"])
            fonts[str(descriptor["/FontName"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )

    assert fonts
    assert all(fonts.values()), fonts


def test_the_html_is_norwegian_whatever_the_active_language(small: Small) -> None:
    snapshot = small_snapshot(small)

    with translation.override("en"):
        html = render_report_html(snapshot)

    assert '<html lang="nb">' in html
    assert "1. februar 2024 – 30. juni 2024" in html
    assert "Statusrapport til styringsgruppen" in html


@pytest.mark.parametrize("compact", [False, True])
def test_the_days_without_update_are_the_ones_the_snapshot_counted_with(
    small: Small, compact: bool, settings: Any
) -> None:
    settings.STALE_DAYS = 30
    snapshot = small_snapshot(small)

    html = words(render_report_html(snapshot, compact=compact))

    assert snapshot["stale_days"] == 30
    assert "ikke oppdatert på 30 dager" in html
    assert "oppdatert på over 30 dager" in html
    assert "90 dager" not in html


# --- What WeasyPrint may fetch ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/x.png",
        "https://example.org/static/reports/report.css",
        "ftp://example.org/x.css",
        "data:text/css;base64,Ym9keXtjb2xvcjpyZWR9",
        "data:image/svg+xml,<svg></svg>",
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}static/reports/../../../etc/passwd",
        f"{BASE_URL}static/reports/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/reports\\..\\..\\etc\\passwd",
        f"{BASE_URL}media/rapporter/statusrapport-1.pdf",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/reports/finnes-ikke.css",
        f"{BASE_URL}static/reports/report.css?x=1",
        "drivkraft-report://example.org/static/reports/report.css",
        "/static/reports/report.css",
    ],
)
def test_the_url_fetcher_refuses_anything_but_our_static_files(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    fetcher = StaticOnlyURLFetcher()

    with caplog.at_level("WARNING", logger="reports.pdf"), pytest.raises(URLRefused):
        fetcher.fetch(url)

    assert fetcher.requested == [url]
    assert any(url in record.getMessage() for record in caplog.records)


def test_the_url_fetcher_serves_the_report_stylesheet() -> None:
    response = StaticOnlyURLFetcher().fetch(f"{BASE_URL}static/reports/report.css")

    assert response.content_type == "text/css"
    body = response.read()
    assert body == (Path(settings.BASE_DIR) / "static/reports/report.css").read_bytes()
    assert b"@page" in body


def test_weasyprint_gets_nothing_through_a_hostile_document() -> None:
    fetcher = StaticOnlyURLFetcher()
    html = (
        '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Prøve</title>'
        '<link rel="stylesheet" href="http://example.org/evil.css">'
        '<link rel="stylesheet" href="/static/reports/report.css"></head>'
        '<body><h1>Prøve</h1><img src="file:///etc/passwd" alt="passord">'
        '<img src="../../../../etc/hostname" alt="vert"></body></html>'
    )

    pdf, pages = render_pdf(html, title="Prøve", url_fetcher=fetcher)

    assert pages == 1
    assert f"{BASE_URL}static/reports/report.css" in fetcher.requested
    assert "file:///etc/passwd" in fetcher.requested  # asked for, and refused
    assert "root:" not in " ".join(page_texts(pdf))


def test_user_text_is_escaped_and_nothing_it_names_is_fetched(small: Small) -> None:
    bridge = small.published[0]
    Measure.objects.filter(pk=bridge.pk).update(
        title=f"Bru {EVIL}", description=f"Beskrivelse {EVIL}", summary=EVIL
    )
    indicator = bridge.indicators.get()
    indicator.description = f"Telling {EVIL}"
    indicator.save()
    update(bridge, Status.ON_TRACK, dt.date(2024, 6, 1), f"Kommentar {EVIL}", 50)
    fetcher = StaticOnlyURLFetcher()

    rendered = render(small_snapshot(small), fetcher)

    assert fetcher.requested == [f"{BASE_URL}static/reports/report.css"]
    assert "<img" not in rendered.html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in rendered.html
    text = " ".join(page_texts(rendered.pdf))
    assert f"Bru {EVIL}" in text
    assert f"Kommentar {EVIL}" in text


def fill_colours(pdf: bytes) -> set[str]:
    """The fill colours the first page paints with, as #rrggbb."""
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    colours = set()
    for line in content.get_data().decode("latin-1").splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == "rg":
            colours.add("#" + "".join(f"{round(float(c) * 255):02x}" for c in parts[:3]))
    return colours


def test_the_pdf_paints_the_status_colours_of_the_shared_stylesheet() -> None:
    fetcher = StaticOnlyURLFetcher()
    css = (Path(settings.BASE_DIR) / "static/css/status.css").read_text()
    text_colours = dict(re.findall(r"--status-([a-z-]+)-text:\s*(#[0-9a-f]{6});", css))
    html = (
        '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Farger</title>'
        '<link rel="stylesheet" href="/static/reports/report.css"></head><body>'
        + "".join(f'<p class="st--{status}">{status}</p>' for status in text_colours)
        + "</body></html>"
    )

    pdf, _pages = render_pdf(html, title="Farger", url_fetcher=fetcher)

    assert len(text_colours) == 5
    assert set(text_colours.values()) <= fill_colours(pdf)
    assert fetcher.requested == [f"{BASE_URL}static/reports/report.css"]


# --- Artefacts for a visual check ----------------------------------------------------------------


def render_first_pages(pdf: bytes, name: str, pages: int) -> list[Path]:
    """The first `pages` pages as PNG in test-artifacts/reports/<name>-N.png (poppler's pdftoppm,
    which CI installs: missing there, the test fails instead of skipping)."""
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
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", str(pages), source, ARTEFACTS / name],
        check=True,
        timeout=120,
    )
    return sorted(ARTEFACTS.glob(f"{name}-*.png"))


def test_the_first_pages_are_rendered_to_png_for_a_visual_check(demo: Rendered) -> None:
    pngs = render_first_pages(demo.pdf, "rapport", 3)

    assert len(pngs) == 3
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG")
        assert png.stat().st_size > 5000  # not a blank page
