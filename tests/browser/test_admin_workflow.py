"""The admin area in a real browser: a measure owner reports status and the public sees it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from measures.models import Measure
from teams.models import Person
from teams.roles import MEASURE_OWNER

from .axe import axe_violations, describe
from .conftest import BrowserProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Drivkraft-test-9341"  # noqa: S105 - a throwaway test login


@pytest.fixture
def owner(demo_site: str) -> User:
    user = User.objects.create_user("ansvarlig", password=PASSWORD, is_staff=True)
    # A transactional test database is flushed between tests, data migrations included.
    group, _created = Group.objects.get_or_create(name=MEASURE_OWNER)
    user.groups.add(group)
    person = Person.objects.get(name="Kari Nordmann")
    person.user = user
    person.save()
    return user


def _log_in(page: Page) -> None:
    page.goto("/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    page.get_by_label("Brukernavn").fill("ansvarlig")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Mine tiltak")).to_be_visible()


def _assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}:\n{describe(violations)}"


def test_owner_updates_status_and_the_public_page_shows_it(
    page: Page, owner: User, problems: BrowserProblems
) -> None:
    page.goto("/admin/login/")
    _assert_accessible(page, "login page")
    _log_in(page)
    _assert_accessible(page, "«Mine tiltak»")

    measure = (
        Measure.objects.public()
        .filter(responsible__user=owner)
        .exclude(status="gjennomfort")
        .order_by("title")
        .first()
    )
    assert measure is not None
    row = page.get_by_role("row").filter(has_text=measure.title)
    row.get_by_role("link", name="Oppdater status").click()
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


def test_owner_cannot_update_someone_elses_measure(page: Page, owner: User) -> None:
    _log_in(page)
    other = (
        Measure.objects.exclude(responsible__user=owner)
        .exclude(co_owners__user=owner)
        .order_by("pk")
        .first()
    )
    assert other is not None
    response = page.goto(f"/admin/measures/measure/{other.pk}/status/")
    assert response is not None
    assert response.status == 403
