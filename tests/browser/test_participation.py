"""Public input in a real browser: the measure page with «Gi innspill» in bokmål and Northern
Sámi at 375 and 1280 px (axe-core clean, screenshots), a post without JavaScript (a receipt page)
and with htmx (the receipt in place of the form), a refusal in place, and Min side's list after
an approval."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from measures.models import Measure
from participation.models import InputState, PublicInput
from teams.roles import PROJECT_LEADER
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import BrowserProblems, PageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = "bidra-til-at-ungt-entreprenorskap-far-en-fast-representant"
WIDTHS = (375, 1280)
PASSWORD = "Drivkraft-test-7713"  # noqa: S105 - a throwaway test login
# The form refuses what is sent within 3 s of being served.
HUMAN_PAUSE_SECONDS = 3.3


def check(page: Page, problems: BrowserProblems, screenshots: Path, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert not violations, f"{name} at {width} px:\n{describe(violations)}"
        page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 321, name
    assert problems.all() == []


@pytest.mark.parametrize(("prefix", "name"), [("", "input-measure"), ("/se", "se-input-measure")])
def test_measure_page_with_the_form(
    page: Page, problems: BrowserProblems, screenshot_dir: Path, prefix: str, name: str
) -> None:
    page.goto(f"{prefix}/tiltak/{MEASURE}/")
    form = page.locator("#innspill-skjema form")
    expect(form).to_be_visible()
    # The honeypot is out of sight.
    expect(page.locator(".input-form__trap input")).not_to_be_in_viewport()
    if prefix == "/se":
        expect(page.locator("html")).to_have_attribute("lang", "se")
        expect(page.locator("main")).to_have_attribute("lang", "nb")
        expect(page.locator("#innspill")).to_have_attribute("lang", "se")
        expect(page.get_by_role("button", name="Sádde cealkámuša")).to_be_visible()
    else:
        expect(page.get_by_role("button", name="Send innspill")).to_be_visible()
    page.locator("#innspill").scroll_into_view_if_needed()
    check(page, problems, screenshot_dir, name)


@pytest.mark.parametrize(
    ("path", "name"), [("/personvern/", "privacy"), ("/se/personvern/", "se-privacy")]
)
def test_privacy_page(
    page: Page, problems: BrowserProblems, screenshot_dir: Path, path: str, name: str
) -> None:
    page.goto(path)
    expect(page.locator("h1")).to_have_text("Personvern")
    check(page, problems, screenshot_dir, name)


def fill(page: Page, text: str, *, consent: bool = True) -> None:
    page.locator("#id_text").fill(text)
    page.locator("#id_name").fill("Kari Innbygger")
    page.locator("#id_email").fill("kari@example.org")
    if consent:
        page.locator("#id_consent").check()
    # Python's sleep, not the page's: wait_for_timeout never returns with JavaScript off.
    time.sleep(HUMAN_PAUSE_SECONDS)


def test_a_post_without_javascript_lands_on_the_receipt(
    new_page: PageFactory, problems: BrowserProblems, screenshot_dir: Path
) -> None:
    page = new_page(javascript=False, width=375)
    page.goto(f"/tiltak/{MEASURE}/")
    fill(page, "Uten JavaScript: flere lærlinger i Lavangen, takk.")
    page.get_by_role("button", name="Send innspill").click()
    expect(page).to_have_url(re.compile(rf"/tiltak/{MEASURE}/innspill/takk/$"))
    expect(page.locator("h1")).to_have_text("Takk for innspillet")
    expect(page.locator("main")).to_contain_text("Det er ikke offentlig ennå")
    # axe-core runs as script in the page: the receipt is checked in a browser with JavaScript.
    checked = new_page()
    checked.goto(page.url)
    check(checked, problems, screenshot_dir, "input-receipt")
    saved = PublicInput.objects.get()
    assert saved.state == InputState.NEW
    assert saved.email == "kari@example.org"


def test_with_htmx_the_receipt_replaces_the_form(
    page: Page, problems: BrowserProblems, screenshot_dir: Path
) -> None:
    page.goto(f"/tiltak/{MEASURE}/")
    url = page.url
    # First a refusal: no consent. The errors come in place, with the text kept.
    fill(page, "Med htmx: et innspill som først mangler samtykke.", consent=False)
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Send innspill").click()
    expect(page.locator("#innspill-skjema .error-summary")).to_contain_text("Du må samtykke")
    expect(page.locator("#id_text")).to_have_value(
        "Med htmx: et innspill som først mangler samtykke."
    )
    assert page.url == url
    # The refusal is a 400 by design, which Chromium logs as a failed resource; nothing else may.
    expected = [e for e in problems.console_errors if "status of 400" in e]
    assert len(expected) == 1
    problems.console_errors.remove(expected[0])
    page.locator("#innspill-skjema").scroll_into_view_if_needed()
    check(page, problems, screenshot_dir, "input-refused-htmx")

    page.locator("#id_consent").check()
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Send innspill").click()
    expect(page.locator("#innspill-skjema")).to_contain_text("Takk for innspillet")
    assert page.url == url
    page.locator("#innspill-skjema").scroll_into_view_if_needed()
    check(page, problems, screenshot_dir, "input-receipt-htmx")
    assert PublicInput.objects.count() == 1


def test_the_leader_approves_and_answers_and_the_page_shows_it(
    page: Page, problems: BrowserProblems, screenshot_dir: Path
) -> None:
    leader = User.objects.create_user("leder-innspill", password=PASSWORD, first_name="Sigrid")
    leader.groups.add(Group.objects.get_or_create(name=PROJECT_LEADER)[0])
    PublicInput.objects.create(
        measure=Measure.objects.get(slug=MEASURE),
        text="Kan dere samarbeide med videregående skole i Sjøvegan?",
        name="Per Innbygger",
        email="per@example.org",
        consent=True,
    )
    page.goto("/logg-inn/?next=/min-side/")
    page.get_by_label("Brukernavn").fill("leder-innspill")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.locator(".inputs-notice")).to_contain_text("1 nytt innspill")
    page.locator(".inputs-notice a").click()
    expect(page.locator("h1")).to_have_text("Innspill fra publikum")
    check(page, problems, screenshot_dir, "input-moderation")
    page.get_by_role("button", name="Godkjenn").click()
    expect(page.locator(".messages")).to_contain_text("godkjent")
    page.locator("textarea[name=answer]").fill("Ja, vi tar kontakt med skolen i januar.")
    page.get_by_role("button", name="Lagre svar").click()
    expect(page.locator(".messages")).to_contain_text("Svaret er lagret")

    page.goto(f"/tiltak/{MEASURE}/#innspill")
    expect(page.locator(".input-item")).to_contain_text("Sjøvegan")
    expect(page.locator(".input-item__answer")).to_contain_text("i januar")
    page.locator("#innspill").scroll_into_view_if_needed()
    check(page, problems, screenshot_dir, "input-measure-approved")
