"""Every public page: zero WCAG 2.1 A/AA violations (axe-core), no browser errors, no CSP
violations, no sideways scrolling at 320 px, and screenshots at 375 and 1280 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import BrowserProblems

pytestmark = pytest.mark.browser

# A measure of the demo with indicators, a timeline and related measures.
MEASURE = "bidra-til-at-ungt-entreprenorskap-far-en-fast-representant"

PAGES = {
    "home": "/",
    "measure-list": "/tiltak/",
    "measure-list-filtered": "/tiltak/?omrade=kompetanse&status=gjennomfort",
    "measure-list-empty": "/tiltak/?q=finnesikke",
    "measure-list-invalid": "/tiltak/?status=ukjent",
    "measure": f"/tiltak/{MEASURE}/",
    "focus-areas": "/satsingsomrader/",
    "focus-area": "/satsingsomrader/innovasjon-og-entreprenorskap/",
    "municipalities": "/kommuner/",
    "municipality": "/kommuner/harstad/",
    "organisation": "/organisering/",
    "updates": "/oppdateringer/",
    "data": "/data/",
    "accessibility": "/tilgjengelighet/",
    "en-home": "/en/",
    "en-measure-list": "/en/tiltak/",
    # English interface around Norwegian user text marked lang="nb" (axe checks the codes).
    "en-measure": f"/en/tiltak/{MEASURE}/",
    "en-focus-area": "/en/satsingsomrader/innovasjon-og-entreprenorskap/",
    "en-organisation": "/en/organisering/",
    "en-municipality": "/en/kommuner/harstad/",
    "en-data": "/en/data/",
    "en-accessibility": "/en/tilgjengelighet/",
    # The views other sites frame, on their own (test_embeds.py frames them).
    "embed-municipality": "/innebygd/kommuner/harstad/",
    "embed-measure": f"/innebygd/tiltak/{MEASURE}/",
    "en-embed-municipality": "/en/innebygd/kommuner/harstad/",
    "en-embed-measure": f"/en/innebygd/tiltak/{MEASURE}/",
}
# What makes a page the case it stands for, so a changed demo cannot quietly empty the test.
MUST_SHOW = {
    "home": [".figures a.figure__link", ".attention", "#attention-heading"],
    "measure-list": ["details.filter-panel:not([open])", ".measure-card .deadline"],
    "data": ["textarea.code", 'script[type="application/ld+json"]', ".dataset"],
    "embed-municipality": [".embed-item", ".embed__source a[target=_top]"],
    "embed-measure": [".status", ".embed__source a[target=_top]"],
    "en-embed-measure": ['h1[lang="nb"]'],
    "en-data": [".language-notice"],
    "measure-list-filtered": [".measure-card"],
    "measure-list-empty": [".empty"],
    "measure-list-invalid": [".notice"],
    "measure": [".indicator svg", ".indicator table", ".timeline .update", "#related-heading"],
    "focus-area": [".measure-card", ".indicator"],
    "municipality": [".measure-card", ".people", "#own-heading", "#shared-heading"],
    "en-measure": ['h1[lang="nb"]', '.timeline .update__comment[lang="nb"]'],
    "en-focus-area": ['.measure-card__title a[lang="nb"]', '.indicator strong[lang="nb"]'],
    "en-organisation": ['h2[lang="nb"]'],
}
WIDTHS = (375, 1280)
NARROWEST = 320


def open_page(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, f"{url} answered {response.status}"


def check_page(page: Page, problems: BrowserProblems, screenshots: Path, name: str) -> list[str]:
    """Everything wrong with one page, as readable lines; writes its screenshots."""
    url = PAGES[name]
    failures: list[str] = []
    problems.clear()
    open_page(page, url)
    for selector in MUST_SHOW.get(name, []):
        if not page.locator(selector).count():
            failures.append(f"{url} shows no {selector}, so it does not test what it should")

    # One load, three widths: the layout follows the viewport, so axe and the screenshots see
    # the phone and the desktop layout alike.
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        if violations:
            failures.append(
                f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {url} "
                f"at {width} px:\n{describe(violations)}"
            )
        page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)

    page.set_viewport_size({"width": NARROWEST, "height": 900})
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > NARROWEST + 1:
        too_wide = page.evaluate(
            """(limit) => [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > limit + 1)
                .slice(-5)
                .map((el) => el.outerHTML.slice(0, 160))""",
            NARROWEST,
        )
        failures.append(
            f"{url} scrolls sideways at {NARROWEST} px (scrollWidth {scroll_width}); "
            f"the innermost elements that stick out: {too_wide}"
        )

    if problems.all():
        failures.append(f"browser problems on {url}: {problems.all()}")
    return failures


def test_every_page_is_accessible(
    page: Page,
    problems: BrowserProblems,
    screenshot_dir: Path,
    subtests: pytest.Subtests,
) -> None:
    # Subtests rather than parametrisation: each page still passes or fails on its own, but the
    # demo programme is loaded (and flushed) once, not once per page.
    for name in PAGES:
        with subtests.test(msg=name):
            failures = check_page(page, problems, screenshot_dir, name)
            report = "\n\n".join(failures)
            if report:
                print(report)
            assert not failures, report
