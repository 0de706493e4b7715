"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium (or the browser named by CHROMIUM_PATH) the tests are skipped, except in
CI (CI=true), where they fail: CI must install the browser (`.ci/run` does) and may never pass by
skipping them. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Headless as root, and quiet: no GPU, and none of the background calls home that would only
# hit the closed network of CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all browser tests; each test gets its own contexts.

    Package-scoped, so the browser and Playwright's event loop are gone before the rest of the
    suite runs.
    """
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if in_ci():
            pytest.fail(f"{reason}; browser tests may not be skipped in CI.", pytrace=False)
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API runs an event loop in this thread, so Django takes the tests for
        # async code and refuses ORM calls (SynchronousOnlyOperation), in fixtures such as the
        # demo loader and in the tests. Nothing here is async for real: this is the documented
        # switch for Playwright with live_server, set only while the browser runs.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server: LiveServer, browser: Browser) -> str:
    """The live server with the real demo programme loaded; returns its base URL.

    Requesting live_server makes pytest-django give the test a transactional database (the
    server thread reads through its own connection) and add the server to ALLOWED_HOSTS.
    """
    call_command("load_demo", stdout=io.StringIO())
    # Pages are cached under the content revision; start every test from fresh renders.
    cache.clear()
    return live_server.url


@dataclass
class BrowserProblems:
    """What the browser complained about: console errors, uncaught errors, CSP violations."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors + self.csp_violations

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.csp_violations.clear()


# Reports every Content-Security-Policy violation to the test, whatever the console says.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `(${event.sourceFile || location.href}:${event.lineNumber})`
  );
});
"""


def _watch(context: BrowserContext, problems: BrowserProblems) -> None:
    context.expose_function(
        "__reportCspViolation", lambda text: problems.csp_violations.append(text)
    )
    context.add_init_script(_CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" or "Refused to" in text:
            problems.console_errors.append(f"{message.type}: {text} ({message.location})")

    def on_page(page: Page) -> None:
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.page_errors.append(str(error)))

    context.on("page", on_page)


@pytest.fixture
def problems() -> BrowserProblems:
    return BrowserProblems()


class PageFactory(Protocol):
    def __call__(self, *, javascript: bool = True, width: int = 1280) -> Page: ...


@pytest.fixture
def new_page(browser: Browser, demo_site: str, problems: BrowserProblems) -> Iterator[PageFactory]:
    """Opens pages on the demo portal, each in its own context, watched for browser problems."""
    contexts: list[BrowserContext] = []

    def open_page(*, javascript: bool = True, width: int = 1280) -> Page:
        context = browser.new_context(
            base_url=demo_site,
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        _watch(context, problems)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    return new_page()


@pytest.fixture
def nojs_page(new_page: PageFactory) -> Page:
    """A page with JavaScript switched off: the portal must work as plain HTML."""
    return new_page(javascript=False)


@pytest.fixture(scope="package")
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
