"""The project leader's back office in a real browser: every admin page the leader reaches, with
its JavaScript at work (the autocomplete lists open, the calendar open, a row selected, the facet
counts shown, the date hierarchy drilled into), shows no English (tests/admin_area/english.py),
no browser errors and no CSP violations; the pages the issue names are screenshot at 375 and
1280 px and checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from measures.models import Measure
from reports.models import Report
from teams.roles import PROJECT_LEADER
from tests.admin_area.english import BROWSER_TEXTS_JS, READ_ATTRIBUTES, english
from tests.reports.conftest import make_report

from .axe import axe_violations, describe
from .conftest import BrowserProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Drivkraft-test-9341"  # noqa: S105 - a throwaway test login
WIDTHS = (375, 1280)


@pytest.fixture
def leader(demo_site: str) -> User:
    user = User.objects.create_user(
        "sjef", password=PASSWORD, is_staff=True, first_name="Sigrid", last_name="Sjef"
    )
    # A transactional test database is flushed between tests, data migrations included.
    user.groups.add(Group.objects.get_or_create(name=PROJECT_LEADER)[0])
    return user


@pytest.fixture
def report(demo_site: str, settings: Any, tmp_path: Path) -> Report:
    settings.MEDIA_ROOT = tmp_path
    return make_report(title="Statusrapport hele programmet våren 2025")


def log_in(page: Page) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Brukernavn").fill("sjef")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Administrasjon")).to_be_visible()


class Walk:
    """Collects what is wrong on each page the leader opens."""

    def __init__(self, page: Page, problems: BrowserProblems) -> None:
        self.page = page
        self.problems = problems
        self.failures: list[str] = []
        self.checked = 0

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None, url
        if response.status != 200:
            self.failures.append(f"{url} answered {response.status}")
        self.check(url)

    def check(self, where: str) -> None:
        self.checked += 1
        found = english(self.page.evaluate(BROWSER_TEXTS_JS, list(READ_ATTRIBUTES)))
        if found:
            self.failures.append(f"English on {where}: {found}")
        if self.problems.all():
            self.failures.append(f"browser problems on {where}: {self.problems.all()}")
            self.problems.clear()

    def links(self, selector: str) -> list[str]:
        hrefs: list[str] = self.page.locator(selector).evaluate_all(
            "(links) => links.map((a) => a.getAttribute('href'))"
        )
        return list(dict.fromkeys(h for h in hrefs if h and h.startswith("/admin/")))

    def with_widgets_open(self, url: str) -> None:
        """Each autocomplete list open with results, then the calendar open."""
        page = self.page
        for index in range(page.locator(".select2-selection").count()):
            page.locator(".select2-selection").nth(index).click()
            search = page.locator(".select2-container--open .select2-search__field")
            search.fill("a")
            expect(page.locator(".select2-results__option").first).to_be_visible()
            expect(page.locator(".loading-results")).to_have_count(0)
            self.check(f"{url} with autocomplete #{index} open")
            page.keyboard.press("Escape")
        calendar = page.locator("a[id^=calendarlink]")
        if calendar.count():
            calendar.first.click()
            expect(page.locator(".calendarbox").first).to_be_visible()
            self.check(f"{url} with the calendar open")
            page.keyboard.press("Escape")

    def changelist(self, url: str) -> None:
        page = self.page
        self.open(url)
        facets = page.get_by_role("link", name="Vis antall")
        if facets.count():
            with page.expect_navigation():
                facets.click()
            self.check(f"{url} with the facet counts")
        if page.locator("#result_list .action-select").count():
            page.locator("#result_list .action-select").first.check()
            expect(page.locator(".action-counter")).to_contain_text("1 av")
            self.check(f"{url} with a row selected")
        years = page.locator(".xfull a, nav.toplinks a")
        if years.count():
            with page.expect_navigation():
                years.first.click()
            self.check(f"{url}, the date hierarchy")


def test_every_page_the_leader_reaches_is_norwegian(
    page: Page, leader: User, report: Report, problems: BrowserProblems
) -> None:
    walk = Walk(page, problems)
    walk.open("/admin/login/")
    log_in(page)
    walk.check("/admin/")

    lists = walk.links("#content-main table th[scope=row] a")
    adds = walk.links("#content-main table a.addlink")
    assert len(lists) >= 14, lists
    for url in lists:
        walk.changelist(url)
        first = walk.links("#result_list tbody tr:first-child a")
        if not first:
            continue
        walk.open(first[0])
        walk.with_widgets_open(first[0])
        history = walk.links("a.historylink")
        if history:
            walk.open(history[0])
            versions = walk.links("#change-history tbody a")
            if versions:
                walk.open(versions[-1])
    for url in adds:
        walk.open(url)
        walk.with_widgets_open(url)

    measure = Measure.objects.public().order_by("pk").first()
    assert measure is not None
    for url in (
        f"/admin/measures/measure/{measure.pk}/status/",
        f"/admin/measures/measure/{measure.pk}/delete/",
        "/admin/measures/measure/import/",
        "/admin/password_change/",
        f"/admin/reports/report/{report.pk}/change/",
    ):
        walk.open(url)
    walk.open(f"/admin/measures/measure/{measure.pk}/change/")
    page.get_by_role("link", name="Vis på nettsted").click()
    assert page.url.endswith(measure.get_absolute_url()), page.url
    page.goto("/admin/")
    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()
    walk.check("the logged-out page")

    assert walk.checked > 60
    assert walk.failures == [], "\n".join(walk.failures)


SCREENSHOTS: dict[str, Callable[[Measure, Report], str]] = {
    "admin-index": lambda measure, report: "/admin/",
    "admin-changelist": lambda measure, report: "/admin/measures/measure/?_facets=True",
    "admin-measure": lambda measure, report: f"/admin/measures/measure/{measure.pk}/change/",
    "admin-report": lambda measure, report: f"/admin/reports/report/{report.pk}/change/",
    "admin-import": lambda measure, report: "/admin/measures/measure/import/",
    "admin-status": lambda measure, report: f"/admin/measures/measure/{measure.pk}/status/",
}


def test_the_back_office_pages_are_accessible_at_both_widths(
    page: Page, leader: User, report: Report, screenshot_dir: Path, problems: BrowserProblems
) -> None:
    log_in(page)
    measure = Measure.objects.public().order_by("pk").first()
    assert measure is not None
    failures = []
    for name, url_of in SCREENSHOTS.items():
        url = url_of(measure, report)
        page.goto(url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            violations = axe_violations(page)
            if violations:
                failures.append(f"{url} at {width} px:\n{describe(violations)}")
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll_width > width + 1:
                failures.append(f"{url} scrolls sideways at {width} px ({scroll_width} px)")
            page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
    assert problems.all() == []
    assert failures == [], "\n\n".join(failures)


def test_a_read_only_page_offers_nothing_to_save(page: Page, leader: User, report: Report) -> None:
    log_in(page)
    measure = Measure.objects.public().order_by("pk").first()
    assert measure is not None
    update = measure.status_updates.first()
    assert update is not None
    for url in (
        f"/admin/reports/report/{report.pk}/change/",
        f"/admin/measures/statusupdate/{update.pk}/change/",
    ):
        page.goto(url)
        expect(page.locator(".submit-row input[type=submit]")).to_have_count(0)
        expect(page.locator(".submit-row .closelink")).to_have_text("Lukk")
        expect(page.get_by_text("Versjon", exact=False)).to_have_count(0)
