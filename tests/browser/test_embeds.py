"""An embed framed by another site in a real browser: it loads where the site is allowed
(EMBED_ALLOWED_ORIGINS) and the browser refuses it everywhere else, as it refuses every other page.

The other site is a small HTTP server on another loopback port (another origin), whose page
frames the live server; a real server, since Chrome refuses a page it takes for public (a
faked route) the loopback address of the live server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings

from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import BrowserProblems

pytestmark = pytest.mark.browser


class _OtherSite(BaseHTTPRequestHandler):
    """Answers every path with a page that frames the `src` the test gave it."""

    src = ""

    def do_GET(self) -> None:
        body = (
            '<!doctype html><html lang="nb"><head><title>Kommunens side</title></head><body>'
            "<main><h1>Harstad kommune</h1>"
            f'<iframe src="{self.src}" title="Tiltak i Harstad – Program Drivkraft" width="600" '
            'height="700"></iframe></main></body></html>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def other_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OtherSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def frame_on_other_site(page: Page, site: str, src: str) -> None:
    """Open the other site's page, which frames `src`."""
    _OtherSite.src = src
    page.goto(f"{site}/")


@pytest.mark.parametrize(
    "path", ["/innebygd/kommuner/harstad/", "/en/innebygd/tiltak/skaperkraft-konferansen/"]
)
def test_an_allowed_site_can_frame_an_embed(
    page: Page,
    demo_site: str,
    other_site: str,
    problems: BrowserProblems,
    settings: Settings,
    path: str,
) -> None:
    assert not demo_site.startswith(other_site)
    settings.EMBED_ALLOWED_ORIGINS = [other_site]
    frame_on_other_site(page, other_site, demo_site + path)

    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_be_visible()
    expect(frame.locator(".embed__source a")).to_have_attribute("target", "_top")
    assert problems.all() == []
    # The framed document itself is accessible (axe runs on the frame's page).
    framed = next(f for f in page.frames if f.url.startswith(demo_site))
    assert framed.evaluate("() => document.cookie") == ""
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_site_not_allowed_cannot_frame_an_embed(
    page: Page, demo_site: str, other_site: str, problems: BrowserProblems, settings: Settings
) -> None:
    settings.EMBED_ALLOWED_ORIGINS = ["https://annen.example"]
    frame_on_other_site(page, other_site, demo_site + "/innebygd/kommuner/harstad/")

    expect(page.locator("h1")).to_have_text("Harstad kommune")
    page.wait_for_timeout(500)
    assert any("frame-ancestors" in error for error in problems.console_errors), problems.all()
    frame = next(f for f in page.frames if f != page.main_frame)
    assert frame.locator("h1").count() == 0 or "Tiltak" not in frame.locator("h1").inner_text()


def test_no_other_page_can_be_framed(
    page: Page, demo_site: str, other_site: str, problems: BrowserProblems, settings: Settings
) -> None:
    settings.EMBED_ALLOWED_ORIGINS = [other_site]
    frame_on_other_site(page, other_site, demo_site + "/kommuner/harstad/")

    expect(page.locator("h1")).to_have_text("Harstad kommune")
    page.wait_for_timeout(500)
    refused = " ".join(problems.console_errors)
    assert "frame-ancestors" in refused or "X-Frame-Options" in refused, problems.all()


def test_the_data_page_shows_no_csp_violation_for_its_json_ld(
    page: Page, demo_site: str, problems: BrowserProblems
) -> None:
    page.goto("/data/")
    expect(page.locator("textarea#embed-harstad")).to_be_visible()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert problems.all() == []
