"""The report pages in a real browser: a project leader orders, previews and issues a report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from measures.roles import PROJECT_LEADER
from reports.models import Report, ReportState

from .axe import axe_violations, describe
from .conftest import BrowserProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Drivkraft-test-5820"  # noqa: S105 - a throwaway test login


@pytest.fixture
def leader(demo_site: str, settings: Any, tmp_path: Path) -> User:
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.create_user("leder", password=PASSWORD, is_staff=True)
    # A transactional test database is flushed between tests, data migrations included.
    group, _created = Group.objects.get_or_create(name=PROJECT_LEADER)
    user.groups.add(group)
    return user


def _assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}:\n{describe(violations)}"


def test_leader_issues_a_report_on_accessible_pages(
    page: Page, leader: User, problems: BrowserProblems
) -> None:
    page.goto("/rapporter/")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statusrapporter til styringsgruppen")
    _assert_accessible(page, "archive")

    page.get_by_role("link", name="Lag ny rapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny statusrapport")
    _assert_accessible(page, "new report form")

    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_role("heading", name="Forhåndsvisning")).to_be_visible()
    _assert_accessible(page, "preview")

    page.get_by_role("button", name="Utsted").click()
    expect(page.get_by_text("Rapporten er utstedt.")).to_be_visible(timeout=60_000)
    _assert_accessible(page, "issued report")

    report = Report.objects.get()
    assert report.state == ReportState.ISSUED
    page.goto("/rapporter/")
    expect(page.get_by_role("link", name=report.title, exact=True)).to_be_visible()
    assert problems.all() == []
