"""The admin area in a real browser: the project leader reports a status and the public sees it;
a measure owner who logs in here is sent to Min side."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from drivkraft.core.admin_site import workspace_url
from measures.models import Measure
from teams.models import Person
from teams.roles import MEASURE_OWNER, PROJECT_LEADER

from .axe import axe_violations, describe
from .conftest import BrowserProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Drivkraft-test-9341"  # noqa: S105 - a throwaway test login


def _user(username: str, group_name: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    # A transactional test database is flushed between tests, data migrations included.
    group, _created = Group.objects.get_or_create(name=group_name)
    user.groups.add(group)
    return user


@pytest.fixture
def leader(demo_site: str) -> User:
    return _user("sjef", PROJECT_LEADER)


@pytest.fixture
def owner(demo_site: str) -> User:
    user = _user("ansvarlig", MEASURE_OWNER)
    person = Person.objects.get(name="Kari Nordmann")
    person.user = user
    person.save()
    return user


def _log_in(page: Page, username: str) -> None:
    page.goto("/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def _assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}:\n{describe(violations)}"


def test_the_leader_updates_status_and_the_public_page_shows_it(
    page: Page, leader: User, problems: BrowserProblems
) -> None:
    page.goto("/admin/login/")
    _assert_accessible(page, "login page")
    _log_in(page, "sjef")
    expect(page.get_by_role("heading", level=1, name="Administrasjon")).to_be_visible()
    expect(page.get_by_role("link", name="Gå til Min side")).to_be_visible()
    _assert_accessible(page, "the admin's start page")

    measure = Measure.objects.public().exclude(status="gjennomfort").order_by("title").first()
    assert measure is not None
    page.goto(f"/admin/measures/measure/{measure.pk}/change/")
    page.get_by_role("link", name="Oppdater status").click()
    expect(page.get_by_label("Ny status")).to_be_visible()
    _assert_accessible(page, "status form")

    page.get_by_label("Ny status").select_option("forsinket")
    page.get_by_label("Framdrift (%)").fill("55")
    page.get_by_label("Kommentar").fill("Leverandøren er forsinket; ny frist i mars.")
    page.get_by_role("button", name="Lagre statusoppdatering").click()
    expect(page.get_by_text("er oppdatert og vises nå på nettstedet")).to_be_visible()

    page.goto(measure.get_absolute_url())
    expect(page.locator(".measure__badge")).to_contain_text("Forsinket")
    expect(page.locator(".timeline").first).to_contain_text(
        "Leverandøren er forsinket; ny frist i mars."
    )
    assert problems.all() == []


def test_an_owner_who_logs_in_here_is_sent_to_min_side(page: Page, owner: User) -> None:
    _log_in(page, "ansvarlig")

    page.wait_for_url(f"**{workspace_url()}")
    other = Measure.objects.order_by("pk").first()
    assert other is not None
    page.goto(f"/admin/measures/measure/{other.pk}/status/")
    assert page.url.endswith(workspace_url())
