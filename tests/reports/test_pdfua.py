"""What the report PDF gives a screen reader beyond WeasyPrint's own PDF/UA-1 output.

The running headers and footers are pagination artifacts, all other content is reachable from the
structure tree, and links say where they lead in words. Checked on the demo programme's report in
both layouts, rendered once for the module; the document-level PDF/UA promises are checked again
on the finished file, and its text against WeasyPrint's unfinished one.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import Name
from pypdf import PdfReader
from weasyprint import HTML

from reports import pdfua
from reports.layouts import render_report_html
from reports.pdf import render_pdf
from reports.schema import Snapshot
from tests.reports.test_rendering import PAGE_FOOTER, demo_snapshot, words

pytestmark = pytest.mark.django_db

TITLE = "Statusrapport til prøve"
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@dataclass
class Finished:
    snapshot: Snapshot
    html: str
    raw: bytes  # as WeasyPrint wrote it
    pdf: bytes  # as render_pdf returns it
    pages: int


@pytest.fixture(scope="module", params=[False, True], ids=["full", "compact"])
def demo(request: Any, django_db_setup: None, django_db_blocker: Any) -> Finished:
    """The demo programme's report in one layout, rendered once: the PDF render_pdf returns, and
    the one WeasyPrint wrote before it was finished."""
    snapshot = demo_snapshot(django_db_blocker, TITLE)
    html = render_report_html(snapshot, compact=request.param)
    written: list[bytes] = []
    finish = pdfua.finish_pdfua

    def recorded(pdf: bytes, **kwargs: Any) -> bytes:
        written.append(pdf)
        return finish(pdf, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfua, "finish_pdfua", recorded)
        pdf, pages = render_pdf(html, title=TITLE)
    assert len(written) == 1
    return Finished(snapshot, html, written[0], pdf, pages)


# --- Reading the PDF ----------------------------------------------------------------------------


def structure_mcids(document: pikepdf.Pdf) -> dict[tuple[int, int], pikepdf.Object]:
    """(page index, MCID) → the structure element holding it, for every marked-content reference
    reachable from the StructTreeRoot through the structure elements' /K."""
    page_index = {page.obj.objgen: n for n, page in enumerate(document.pages)}
    found: dict[tuple[int, int], pikepdf.Object] = {}
    # (kid, the element it belongs to, that element's page)
    stack: list[tuple[Any, Any, int | None]] = [
        (document.Root.StructTreeRoot.K, document.Root.StructTreeRoot, None)
    ]
    while stack:
        kid, owner, page = stack.pop()
        if isinstance(kid, int):
            assert page is not None
            found[page, kid] = owner
        elif isinstance(kid, pikepdf.Array):
            stack.extend((item, owner, page) for item in kid)
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.get("/Type") == Name.OBJR:
                continue
            mcr = kid.get("/Type") == Name.MCR
            page = page_index[kid.Pg.objgen] if "/Pg" in kid else page
            if mcr:
                assert page is not None
                found[page, int(kid.MCID)] = owner
            elif "/K" in kid:
                stack.append((kid.K, kid, page))
    return found


@dataclass
class Marked:
    """One marked-content sequence: its tag, property list and the text operators inside."""

    tag: str
    properties: pikepdf.Object | None
    texts: int = 0


def sequences(page: pikepdf.Page) -> list[Marked]:
    """The page's marked-content sequences (BMC/BDC … EMC) in the order they open, and for each
    one how many text-showing operators it holds directly or nested."""
    found: list[Marked] = []
    open_: list[Marked] = []
    for instruction in pikepdf.parse_content_stream(page):
        op = str(instruction.operator)
        if op in ("BMC", "BDC"):
            operands = instruction.operands
            marked = Marked(str(operands[0]), operands[1] if op == "BDC" else None)
            open_.append(marked)
            found.append(marked)
        elif op == "EMC":
            open_.pop()
        elif op in TEXT_SHOWING:
            for marked in open_:
                marked.texts += 1
    assert not open_
    return found


def mcid(marked: Marked) -> int | None:
    properties = marked.properties
    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None


def page_texts_where(pdf: bytes, *, artifacts: bool) -> list[str]:
    """Each page's text, from the artifacts only or from everything but the artifacts: the
    other kind's text operators are dropped, and pypdf reads what is left."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            kept = []
            depth = 0  # of open /Artifact sequences, counting those nested in them
            stack: list[bool] = []
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                if op in ("BMC", "BDC"):
                    stack.append(instruction.operands[0] == Name.Artifact)
                    depth += stack[-1]
                elif op == "EMC":
                    depth -= stack.pop()
                elif op in TEXT_SHOWING and (depth > 0) != artifacts:
                    continue
                kept.append(instruction)
            page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(kept))
        out = io.BytesIO()
        document.save(out)
    return [words(page.extract_text() or "") for page in PdfReader(out).pages]


def headings(html: str) -> set[str]:
    """The text of every h1–h6 of the report's HTML."""
    found = re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", html, flags=re.DOTALL)
    return {words(unescape(re.sub(r"<[^>]+>", "", text))) for _level, text in found}


def html_ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


# --- Running headers and footers: artifacts, and nothing else outside the structure tree --------


def test_every_tagged_piece_of_content_is_reachable_from_the_structure_tree(
    demo: Finished,
) -> None:
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        reachable = structure_mcids(document)
        parent_tree = pikepdf.NumberTree(document.Root.StructTreeRoot.ParentTree)
        in_streams = set()
        for n, page in enumerate(document.pages):
            parents = parent_tree[int(page.obj.StructParents)]
            for marked in sequences(page):
                number = mcid(marked)
                if number is None:
                    continue
                in_streams.add((n, number))
                assert (n, number) in reachable, (n, number, marked.tag)
                # The ParentTree leads from the content back to the same element.
                assert parents[number].objgen == reachable[n, number].objgen, (n, number)
            # And it names no element for content that is not there.
            assert len(parents) == 1 + max(m for p, m in in_streams if p == n)

        assert set(reachable) == in_streams


def test_the_running_headers_and_footers_are_pagination_artifacts(demo: Finished) -> None:
    artifacts = page_texts_where(demo.pdf, artifacts=True)
    tagged = page_texts_where(demo.pdf, artifacts=False)

    assert len(artifacts) == len(tagged) == demo.pages > 5
    for number, (artifact, content) in enumerate(zip(artifacts, tagged, strict=True), start=1):
        footer = f"Side {number} av {demo.pages}"
        assert footer in artifact
        assert PAGE_FOOTER.search(content) is None, (number, content[-80:])
        if number > 1:  # the cover has no running header
            assert "Program Drivkraft" in artifact
            assert TITLE in artifact
            assert TITLE not in content, number
    # Each running header and footer is a pagination artifact that says which of the two it is.
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            kinds = [
                (marked.properties.get("/Type"), marked.properties.get("/Subtype"))
                for marked in sequences(page)
                if marked.tag == "/Artifact"
                and marked.texts
                and isinstance(marked.properties, pikepdf.Dictionary)
            ]
            expected = [(Name.Pagination, Name.Footer)]
            if number > 1:
                expected = [(Name.Pagination, Name.Header)] * 2 + expected
            assert kinds == expected, number


def test_no_text_is_outside_both_the_structure_and_the_artifacts(demo: Finished) -> None:
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        for page in document.pages:
            unmarked = 0
            depth = 0
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                depth += (op in ("BMC", "BDC")) - (op == "EMC")
                unmarked += op in TEXT_SHOWING and depth == 0
            assert unmarked == 0


# --- Links -------------------------------------------------------------------------------------


def test_links_are_described_by_the_heading_they_lead_to(demo: Finished) -> None:
    heading_texts = headings(demo.html)
    ids = html_ids(demo.html)
    texts = [words(page.extract_text() or "") for page in PdfReader(io.BytesIO(demo.pdf)).pages]
    described: dict[str, str] = {}
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        destinations = pikepdf.NameTree(document.Root.Names.Dests)
        page_index = {page.obj.objgen: n for n, page in enumerate(document.pages)}
        links = [
            annotation
            for page in document.pages
            for annotation in page.obj.get("/Annots", [])
            if annotation.Subtype == Name.Link
        ]
        assert len(links) >= 20
        for link in links:
            target, contents = str(link.Dest), str(link.Contents)
            assert contents not in ids, contents
            assert contents in heading_texts, (target, contents)
            # The heading is on the page the link leads to.
            assert contents in texts[page_index[destinations[target][0].objgen]]
            described[target] = contents

    assert described["sammendrag"] == "Sammendrag"
    assert described["kommuner"] == "Kommunene"
    assert described["omrade-1"] == demo.snapshot["focus_areas"][0]["name"]


def test_a_link_label_is_the_text_of_the_heading_of_its_target() -> None:
    html = (
        '<!doctype html><html lang="nb"><body><nav>'
        '<a href="#a">1</a><a href="#b">2</a><a href="#c">3</a><a href="#d">4</a>'
        '<a href="#ingen">5</a><a href="https://example.org/#a">6</a></nav>'
        '<section id="a" aria-labelledby="a-h"><p>Innledning</p>'
        '<h2 id="a-h">Sammen<b>drag</b></h2></section>'
        '<h3 id="b">Innovasjon &amp;\n  entreprenørskap</h3>'
        '<div id="c"><p>Tekst</p><h4>Første</h4><h4>Andre</h4></div>'
        '<p id="d">Ingen overskrift</p>'
        "</body></html>"
    )

    labels = pdfua.link_labels(HTML(string=html).etree_element)  # parsed as render_pdf does

    assert labels == {"a": "Sammendrag", "b": "Innovasjon & entreprenørskap", "c": "Første"}


# --- Still the same document, still PDF/UA-1 -----------------------------------------------------


def pdftotext(pdf: bytes, folder: Path, name: str) -> str:
    """poppler's text of the PDF; CI installs poppler-utils, so there a missing one fails."""
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing in CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        [tool, "-enc", "UTF-8", source, "-"], check=True, capture_output=True, timeout=60
    )
    return done.stdout.decode()


def test_finishing_keeps_the_text_and_the_page_count(demo: Finished, tmp_path: Path) -> None:
    before = pdftotext(demo.raw, tmp_path, "weasyprint")
    after = pdftotext(demo.pdf, tmp_path, "finished")

    assert after == before
    assert f"Side {demo.pages} av {demo.pages}" in after
    assert len(PdfReader(io.BytesIO(demo.raw)).pages) == demo.pages
    assert len(PdfReader(io.BytesIO(demo.pdf)).pages) == demo.pages


def test_the_finished_pdf_still_declares_pdf_ua_1(demo: Finished) -> None:
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        root = document.Root
        with document.open_metadata(set_pikepdf_as_editor=False) as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == TITLE
        assert document.docinfo.Title == TITLE
        # pikepdf reads a PDF boolean as Python's bool.
        marked: object = root.MarkInfo.Marked
        display_title: object = root.ViewerPreferences.DisplayDocTitle
        assert marked is True
        assert str(root.Lang) == "nb"
        assert display_title is True  # a viewer shows the title, not the file name
        assert "/StructTreeRoot" in root
        assert document.pdf_version == "1.7"
