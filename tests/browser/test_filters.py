"""The measure filters in a real browser: with htmx, without JavaScript, and by keyboard alone."""

from __future__ import annotations

import re
from typing import TypedDict
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.http import QueryDict
from playwright.sync_api import Page, expect

from measures import selectors
from measures.filters import PAGE_SIZE, parse_measure_filters
from measures.models import FocusArea
from teams.models import Municipality
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import BrowserProblems, PageFactory

pytestmark = pytest.mark.browser

SUMMARY = "#results .results__summary"
TITLES = "#results .measure-card__title"


def expected_titles(**params: str | list[str]) -> list[str]:
    """The titles the server lists on the first page for these filters, in its order."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    filters = parse_measure_filters(
        query,
        focus_areas=list(FocusArea.objects.all()),
        municipalities=list(Municipality.objects.all()),
    )
    assert not filters.notes, filters.notes
    return [m.title for m in selectors.measure_list(filters=filters)[:PAGE_SIZE]]


def count_text(n: int) -> str:
    return f"{n} tiltak funnet"


def query_of(url: str) -> dict[str, list[str]]:
    """The non-empty parameters of a URL (a plain form also sends `q=` and the default sort)."""
    params = parse_qs(urlsplit(url).query)
    params.pop("sortering", None)
    return params


def assert_form_matches(page: Page, *, omrade: str, kommune: list[str], status: list[str]) -> None:
    assert page.locator("#filter-omrade").input_value() == omrade
    checked = page.locator("form.filters input[type=checkbox]:checked")
    values = checked.evaluate_all("els => els.map(el => [el.name, el.value])")
    assert sorted(values) == sorted(
        [["kommune", k] for k in kommune] + [["status", s] for s in status]
    )


def open_filters(page: Page) -> None:
    """Unfold the filters: without chosen filters they wait behind «Filtrer» (a <details>)."""
    panel = page.locator("details.filter-panel")
    if panel.get_attribute("open") is None:
        page.locator("summary.filter-panel__summary").click()
    expect(page.locator("#filter-q")).to_be_visible()


MARK = """() => {
  window.__probe = "page";
  document.querySelector("form.filters").__probe = "form";
  document.getElementById("results-status").__probe = "live";
}"""
READ_MARKS = """() => [
  window.__probe,
  document.querySelector("form.filters").__probe,
  document.getElementById("results-status").__probe,
  document.querySelectorAll("#results-status").length,
]"""


def mark_document(page: Page) -> None:
    """Tag the window, the form and the live region, so a page load or a replaced node shows."""
    page.evaluate(MARK)


def assert_same_document(page: Page) -> None:
    window, form, live, live_regions = page.evaluate(READ_MARKS)
    assert window == "page", "the page navigated"
    assert form == "form", "the form was replaced; only #results may be swapped"
    # Screen readers announce changes to a live region that was already there, not a new one.
    assert live == "live" and live_regions == 1, "the live region was replaced"


def test_filters_swap_only_the_results_and_push_the_url(
    page: Page, problems: BrowserProblems
) -> None:
    page.goto("/tiltak/")
    open_filters(page)
    all_titles = expected_titles()
    expect(page.locator(SUMMARY)).to_contain_text(count_text(23))
    assert page.locator(TITLES).all_inner_texts() == all_titles
    mark_document(page)

    steps: list[tuple[str, str, dict[str, str | list[str]]]] = [
        ("select", "#filter-omrade", {"omrade": "infrastruktur"}),
        ("check", "#filter-kommune-tjeldsund", {"kommune": ["tjeldsund"]}),
        ("check", "#filter-status-stanset", {"status": ["stanset"]}),
    ]
    params: dict[str, str | list[str]] = {}
    counts = []
    for action, selector, added in steps:
        params |= added
        titles = expected_titles(**params)
        with page.expect_response(
            lambda r: "/tiltak/" in r.url and r.request.headers.get("hx-request") == "true"
        ):
            if action == "select":
                page.select_option(selector, added["omrade"])
            else:
                page.check(selector)
        expect(page.locator(SUMMARY)).to_contain_text(count_text(len(titles)))
        expect(page.locator(TITLES)).to_have_text(titles)
        expect(page.locator("#results-status")).to_have_text(
            f"{count_text(len(titles))} (filtrert)"
        )
        assert_same_document(page)
        wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
        assert {k: v for k, v in query_of(page.url).items() if k != "q"} == wanted
        counts.append(len(titles))
    assert counts == sorted(counts, reverse=True) and len(set(counts)) == len(counts), counts
    assert re.search(r"[?&]omrade=infrastruktur", page.url)
    assert "kommune=tjeldsund" in page.url and "status=stanset" in page.url
    # The page as htmx left it is as accessible as a fresh one.
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # The URL can be shared: a fresh load renders the same result on the server.
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    expect(other.locator(TITLES)).to_have_text(expected_titles(**params))
    assert_form_matches(other, omrade="infrastruktur", kommune=["tjeldsund"], status=["stanset"])
    other.close()

    # Back restores the previous state: the URL, the list and the form's controls.
    page.go_back()
    expect(page).to_have_url(re.compile(r"kommune=tjeldsund"))
    assert "status=" not in page.url
    before_last = expected_titles(omrade="infrastruktur", kommune=["tjeldsund"])
    expect(page.locator(TITLES)).to_have_text(before_last)
    expect(page.locator(SUMMARY)).to_contain_text(count_text(len(before_last)))
    assert_form_matches(page, omrade="infrastruktur", kommune=["tjeldsund"], status=[])

    page.go_back()
    expect(page).to_have_url(re.compile(r"omrade=infrastruktur(?!.*kommune)"))
    only_area = expected_titles(omrade="infrastruktur")
    expect(page.locator(TITLES)).to_have_text(only_area)
    assert_form_matches(page, omrade="infrastruktur", kommune=[], status=[])

    page.go_back()
    expect(page).to_have_url(re.compile(r"/tiltak/$"))
    expect(page.locator(SUMMARY)).to_contain_text(count_text(23))
    assert_form_matches(page, omrade="", kommune=[], status=[])

    page.go_forward()
    expect(page).to_have_url(re.compile(r"omrade=infrastruktur"))
    expect(page.locator(TITLES)).to_have_text(only_area)
    assert_form_matches(page, omrade="infrastruktur", kommune=[], status=[])
    assert problems.all() == []


def test_search_filters_after_the_debounce(page: Page, problems: BrowserProblems) -> None:
    page.goto("/tiltak/")
    mark_document(page)
    fragment_requests: list[str] = []
    page.on(
        "request",
        lambda r: (
            fragment_requests.append(r.url) if r.headers.get("hx-request") == "true" else None
        ),
    )
    titles = expected_titles(q="skaperkraft")
    assert 0 < len(titles) < 23
    open_filters(page)

    page.locator("#filter-q").press_sequentially("skaperkraft", delay=30)
    # Nothing is sent while the visitor is still typing...
    assert fragment_requests == []
    # ...and one request once the typing has paused.
    expect(page).to_have_url(re.compile(r"[?&]q=skaperkraft"))
    expect(page.locator(SUMMARY)).to_contain_text(count_text(len(titles)))
    expect(page.locator(TITLES)).to_have_text(titles)
    assert len(fragment_requests) == 1, fragment_requests
    assert_same_document(page)
    # The caret stays in the search box: the swap did not touch the form.
    assert page.evaluate("() => document.activeElement.id") == "filter-q"
    assert problems.all() == []


def test_filters_without_javascript(nojs_page: Page, problems: BrowserProblems) -> None:
    page = nojs_page
    page.goto("/tiltak/")
    expect(page.locator(SUMMARY)).to_contain_text(count_text(23))

    open_filters(page)  # a <details>: it opens without JavaScript
    page.select_option("#filter-omrade", "infrastruktur")
    page.check("#filter-kommune-tjeldsund")
    page.check("#filter-status-stanset")
    # No JavaScript, no swap: nothing happens until the form is submitted.
    expect(page.locator(SUMMARY)).to_contain_text(count_text(23))
    with page.expect_navigation():
        page.get_by_role("button", name="Vis tiltak").click()

    params = {"omrade": ["infrastruktur"], "kommune": ["tjeldsund"], "status": ["stanset"]}
    titles = expected_titles(**params)
    expect(page.locator(SUMMARY)).to_contain_text(count_text(len(titles)))
    expect(page.locator(TITLES)).to_have_text(titles)
    assert {k: v for k, v in query_of(page.url).items() if k != "q"} == params
    assert_form_matches(page, omrade="infrastruktur", kommune=["tjeldsund"], status=["stanset"])

    # The same URL that htmx would push renders the same list.
    page.goto("/tiltak/?" + urlencode(params, doseq=True))
    expect(page.locator(TITLES)).to_have_text(titles)

    # The "clear filters" link on an empty result works without JavaScript too.
    page.goto("/tiltak/?q=finnesikke")
    expect(page.locator(SUMMARY)).to_contain_text(count_text(0))
    page.get_by_role("link", name="Fjern alle filtrene og vis alle tiltak").click()
    expect(page.locator(SUMMARY)).to_contain_text(count_text(23))
    assert problems.all() == []


FOCUS_INDICATOR = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    id: el.id,
    tag: el.tagName.toLowerCase(),
    cls: el.className,
    text: el.textContent.trim().slice(0, 40),
    visible: outline || style.boxShadow !== "none",
  };
}"""


class Focused(TypedDict):
    """What FOCUS_INDICATOR reports about the focused element."""

    id: str
    tag: str
    cls: str
    text: str
    visible: bool


def tab(page: Page) -> Focused:
    page.keyboard.press("Tab")
    focused: Focused = page.evaluate(FOCUS_INDICATOR)
    assert focused["visible"], f"no visible focus indicator on {focused}"
    return focused


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_filters_by_keyboard_alone(
    new_page: PageFactory, javascript: bool, problems: BrowserProblems
) -> None:
    page = new_page(javascript=javascript)
    page.goto("/tiltak/")
    before = page.locator(SUMMARY).inner_text()

    first = tab(page)
    assert "skip-link" in first["cls"], f"the first Tab stop is {first}, not the skip link"
    assert page.locator(".skip-link").is_visible()
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # From main, Tab reaches «Filtrer»; Enter unfolds the filters (a <details>, no script).
    summary = tab(page)
    assert summary["tag"] == "summary" and summary["text"] == "Filtrer", summary
    page.keyboard.press("Enter")
    expect(page.locator("#filter-q")).to_be_visible()

    # Then Tab walks the filters in reading order.
    municipalities = list(Municipality.objects.order_by("name").values_list("slug", flat=True))
    expected = (
        ["filter-q", "filter-omrade", "filter-sortering"]
        + [f"filter-kommune-{slug}" for slug in municipalities]
        + [
            f"filter-status-{s}"
            for s in ["ikke-startet", "etter-plan", "forsinket", "gjennomfort", "stanset"]
        ]
    )
    seen = []
    for want in expected:
        focused = tab(page)
        seen.append(focused["id"])
        assert seen == expected[: len(seen)], f"Tab order {seen}, expected {expected}"
        if want in {"filter-kommune-ibestad", "filter-status-stanset"}:
            page.keyboard.press("Space")
            assert page.locator(f"#{want}").is_checked()
            # A swap (with htmx) must not steal the focus from the control.
            assert page.evaluate("() => document.activeElement.id") == want

    button = tab(page)
    assert button["tag"] == "button" and button["text"] == "Vis tiltak", button
    reset = tab(page)
    assert reset["tag"] == "a" and reset["text"] == "Nullstill filtrene", reset

    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Vis tiltak"
    if javascript:
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            page.keyboard.press("Enter")
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")

    titles = expected_titles(kommune=["ibestad"], status=["stanset"])
    expect(page.locator(SUMMARY)).to_contain_text(count_text(len(titles)))
    expect(page.locator(TITLES)).to_have_text(titles)
    expect(page).to_have_url(re.compile(r"kommune=ibestad.*status=stanset"))
    assert page.locator(SUMMARY).inner_text() != before
    assert problems.all() == []
