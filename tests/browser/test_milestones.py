"""Milestones and decisions in a real browser, at 375 and 1280 px: the owner adds a milestone on
Min side and ticks it off (htmx in place, and without JavaScript), the public measure page shows
late, coming and reached milestones and the pending decision, the steering group records a
decision from «Til beslutning». axe-core clean, no sideways scrolling, and screenshots in
test-artifacts/screenshots/workspace-milestones-*.png, measure-milestones-*.png and
workspace-decision-*.png."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from measures.models import Decision, Milestone
from measures.selectors import my_measures
from measures.status import Status
from teams.roles import MEASURE_OWNER, STEERING_GROUP

from .conftest import BrowserProblems, PageFactory
from .test_workspace import WIDTHS, _user, check, log_in, named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kari(demo_site: str) -> User:
    """A measure owner: Kari Nordmann of the demo, responsible for several measures."""
    return _user("ansvarlig", MEASURE_OWNER, person="Kari Nordmann")


@pytest.fixture
def mayor(demo_site: str) -> User:
    return _user("styret", STEERING_GROUP)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_owner_adds_a_milestone_and_ticks_it_off(
    new_page: PageFactory,
    kari: User,
    problems: BrowserProblems,
    width: int,
) -> None:
    page = new_page(width=width)
    page.goto("/logg-inn/")
    log_in(page, None, "ansvarlig")
    rows = my_measures(user=kari, today=timezone.localdate())
    measure = next(r.measure for r in rows if r.measure.status == Status.ON_TRACK)

    page.get_by_role("link", name=named("Milepæler", measure.title)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(measure.title)
    title = f"Avtale med UiT signert ({width} px)"
    page.get_by_label("Milepæl", exact=True).fill(title)
    page.get_by_label("Frist").fill("2030-05-01")
    page.get_by_role("button", name="Legg til milepælen").click()

    expect(page.locator(".messages")).to_contain_text(f"Milepælen «{title}» er lagt til.")
    item = page.locator(".milestone", has_text=title)
    expect(item).to_contain_text("Kommende frist 01.05.2030")
    check(page, problems, "milestones", width)

    # htmx swaps the list in place: no new page, the state said in words.
    item.get_by_role("button", name=named("Marker som nådd", title)).click()
    expect(page.locator(".milestone", has_text=title)).to_contain_text("Nådd")
    expect(
        page.locator(".milestone", has_text=title).get_by_role(
            "button", name=named("Angre «nådd»", title)
        )
    ).to_be_visible()
    # Screen readers hear what happened: htmx renews the live region out of band.
    expect(page.locator("#milestone-notice")).to_have_text(
        f"Milepælen «{title}» er markert som nådd."
    )
    milestone = Milestone.objects.get(title=title)
    assert milestone.completed_on == timezone.localdate()
    check(page, problems, "milestones-done", width)

    page.goto(measure.get_absolute_url())
    section = page.locator("#milepaeler")
    expect(section).to_contain_text("Nådd")
    expect(section).to_contain_text(title)


def test_without_javascript_the_forms_still_work(
    new_page: PageFactory,
    kari: User,
    problems: BrowserProblems,
) -> None:
    page = new_page(javascript=False, width=375)
    page.goto("/logg-inn/")
    log_in(page, None, "ansvarlig")
    rows = my_measures(user=kari, today=timezone.localdate())
    measure = next(r.measure for r in rows if r.measure.status == Status.ON_TRACK)
    page.goto(f"/min-side/tiltak/{measure.slug}/milepaeler/")
    page.get_by_label("Milepæl", exact=True).fill("Uten JavaScript")
    page.get_by_label("Frist").fill("2030-06-01")
    page.get_by_role("button", name="Legg til milepælen").click()
    page.get_by_role("button", name=named("Marker som nådd", "Uten JavaScript")).click()

    expect(page.locator(".messages")).to_contain_text("er markert som nådd")
    assert Milestone.objects.get(title="Uten JavaScript").completed_on == timezone.localdate()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_public_page_shows_late_coming_and_reached_and_the_pending_decision(
    new_page: PageFactory, problems: BrowserProblems, width: int
) -> None:
    page = new_page(width=width)
    page.goto("/tiltak/regional-naeringskompetanse/")

    section = page.locator("#milepaeler")
    expect(section).to_contain_text("Forsinket (1)")
    expect(section).to_contain_text("Forsinket: frist 30. juni 2022")
    expect(section).to_contain_text("Kommende")
    expect(section).to_contain_text("Nådd")
    expect(page.locator(".needs-decision")).to_contain_text("Trenger beslutning")
    page.screenshot(
        path=f"test-artifacts/screenshots/measure-milestones-{width}.png", full_page=True
    )
    check(page, problems, "measure-milestones", width)

    page.goto("/tiltak/skaperkraft-konferansen/")
    expect(page.locator(".update--decision")).to_contain_text("Beslutning i styringsgruppen")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_steering_group_records_the_pending_decision(
    new_page: PageFactory,
    mayor: User,
    problems: BrowserProblems,
    width: int,
) -> None:
    page = new_page(width=width)
    page.goto("/logg-inn/")
    log_in(page, None, "styret")
    section = page.locator("#til-beslutning").locator("xpath=..")
    expect(section).to_contain_text("Regional næringskompetanse")
    section.get_by_role(
        "link", name=named("Registrer beslutningen", "Regional næringskompetanse")
    ).click()

    check(page, problems, "decision", width)
    page.get_by_label("Beslutning", exact=True).fill("Hålogalandsrådet dekker halvparten i 2027.")
    page.get_by_role("button", name="Registrer beslutningen").click()

    expect(page.locator(".messages")).to_contain_text("er registrert")
    decision = Decision.objects.get(measure__slug="regional-naeringskompetanse")
    assert decision.decision == "Hålogalandsrådet dekker halvparten i 2027."
    page.goto("/tiltak/regional-naeringskompetanse/")
    expect(page.locator(".update--decision")).to_contain_text("halvparten i 2027")
    expect(page.locator(".needs-decision")).to_have_count(0)
