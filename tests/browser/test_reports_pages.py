"""The report pages in a real browser: a project leader orders, previews and issues a report; the
steering group downloads the current status and an issued report."""

from __future__ import annotations

import hashlib
import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from reports.models import Report, ReportState
from teams.roles import PROJECT_LEADER, STEERING_GROUP

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


@pytest.fixture
def steering(demo_site: str, settings: Any, tmp_path: Path) -> User:
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.create_user("styret", password=PASSWORD, is_staff=True)
    group, _created = Group.objects.get_or_create(name=STEERING_GROUP)
    user.groups.add(group)
    return user


def _log_in(page: Page, username: str) -> None:
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


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


def test_the_steering_group_downloads_the_current_and_an_issued_report(
    page: Page, steering: User, problems: BrowserProblems
) -> None:
    call_command("issue_report", "--tittel", "Statusrapport til møtet", stdout=StringIO())
    issued = Report.objects.get(state=ReportState.ISSUED)
    # The current status is made by a task or this command, never by the page's request.
    call_command("render_current_report", stdout=StringIO())

    page.goto("/rapporter/")
    _log_in(page, "styret")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statusrapporter til styringsgruppen")
    expect(page.get_by_role("link", name="Lag ny rapport")).to_have_count(0)  # may not issue
    _assert_accessible(page, "archive for the steering group")

    # The issued report: the stored bytes, whose SHA-256 the archive keeps.
    row = page.get_by_role("row", name=issued.title)
    expect(row).to_contain_text("Automatisk (issue_report)")  # issued by a scheduled run
    download = row.get_by_role("link", name="Last ned PDF")
    response = page.request.get(download.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(response.body()).hexdigest() == issued.sha256

    # The current status, made beforehand.
    current = page.get_by_role("link", name="Last ned gjeldende status nå (PDF)")
    response = page.request.get(current.get_attribute("href") or "")
    assert response.status == 200
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Tiltakene per satsingsområde" in " ".join(text.split())
    assert problems.all() == []
