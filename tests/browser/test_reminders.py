"""Reminders in a real browser: the pause setting on Min side, the page the signed link in a mail
opens, and the reminder mail itself as a mail program would show it (saved to
test-artifacts/reminder-*.html). axe-core clean, no sideways scrolling, screenshots in
test-artifacts/screenshots/reminders-*.png.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from playwright.sync_api import Page, expect

from measures.models import Programme
from reminders.mail import pause_url
from reminders.selectors import reminders_paused
from reminders.services import reminders_send
from teams.roles import MEASURE_OWNER, PROJECT_LEADER

from .axe import axe_violations, describe
from .conftest import ARTIFACTS, BrowserProblems, PageFactory
from .test_workspace import WIDTHS, _user, assert_layout, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owner(demo_site: str) -> User:
    user = _user("ansvarlig", MEASURE_OWNER, person="Kari Nordmann")
    user.email = "kari.nordmann@example.org"
    user.save()
    return user


def check(page: Page, problems: BrowserProblems, name: str, width: int) -> Path:
    page.wait_for_load_state("load")
    path = ARTIFACTS / "screenshots" / f"reminders-{name}-{width}.png"
    page.screenshot(path=path, full_page=True)
    violations = axe_violations(page)
    assert violations == [], f"{name} at {width} px:\n{describe(violations)}"
    assert_layout(page, name)
    assert problems.all() == [], f"{name}: {problems.all()}"
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_the_owner_pauses_and_resumes_reminders_on_min_side(
    new_page: PageFactory, owner: User, problems: BrowserProblems, width: int
) -> None:
    page = new_page(width=width)
    page.goto("/logg-inn/")
    log_in(page, None, "ansvarlig")
    section = page.locator("section.reminder-setting")
    expect(section.get_by_role("heading", level=2)).to_have_text("Påminnelser på e-post")
    expect(section).to_contain_text("kari.nordmann@example.org")
    page.get_by_role("link", name="Påminnelser på e-post").click()  # the page's own menu
    check(page, problems, "min-side-on", width)

    section.get_by_role("button", name="Sett påminnelsene på pause").click()
    expect(page.get_by_role("status")).to_contain_text("satt på pause")
    expect(section).to_contain_text("Påminnelsene er på pause.")
    assert reminders_paused(owner)
    section.scroll_into_view_if_needed()
    check(page, problems, "min-side-paused", width)

    section.get_by_role("button", name="Slå på påminnelsene igjen").click()
    expect(section).to_contain_text("Påminnelsene er på.")
    assert not reminders_paused(owner)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_link_in_a_mail_pauses_without_a_login_and_without_javascript(
    new_page: PageFactory, owner: User, problems: BrowserProblems, width: int, live_server: object
) -> None:
    page = new_page(width=width)
    page.context.clear_cookies()
    path = pause_url(owner).removeprefix("https://drivkraft.example.no")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Påminnelser på e-post")
    check(page, problems, "pause-ask", width)
    assert not reminders_paused(owner)

    page.get_by_role("button", name="Sett påminnelser på pause").click()
    expect(page.get_by_role("status")).to_contain_text("Påminnelsene dine er satt på pause.")
    check(page, problems, "pause-done", width)
    assert reminders_paused(owner)

    response = page.goto(path[:-3] + "xx/")
    assert response is not None
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Lenken virker ikke")
    # The browser logs the 400 itself; that is the answer expected here.
    assert all("status of 400" in line for line in problems.all())
    problems.clear()
    check(page, problems, "pause-invalid", width)


def test_the_reminder_mail_as_a_mail_program_shows_it(
    new_page: PageFactory, owner: User, problems: BrowserProblems
) -> None:
    # The demo programme ended in 2021; for the mail it runs on.
    Programme.objects.update(end=dt.date(2099, 12, 31))
    leader = _user("leder", PROJECT_LEADER)
    leader.email = "leder@example.org"
    leader.save()
    mail.outbox = []
    result = reminders_send()
    assert sorted(result.sent) == ["kari.nordmann@example.org", "leder@example.org"]

    for message in mail.outbox:
        assert isinstance(message, EmailMultiAlternatives)
        who = "owner" if message.to == ["kari.nordmann@example.org"] else "leader"
        html = str(message.alternatives[0][0])
        (ARTIFACTS / f"reminder-{who}.html").write_text(html, encoding="utf-8")
        (ARTIFACTS / f"reminder-{who}.txt").write_text(
            f"Subject: {message.subject}\n\n{message.body}", encoding="utf-8"
        )
        for width in WIDTHS:
            page = new_page(width=width)
            page.set_content(html)
            expect(page.locator("h1").first).to_be_visible()
            check(page, problems, f"mail-{who}", width)
