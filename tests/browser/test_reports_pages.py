"""The report pages in a real browser: a project leader orders, previews and issues a report; the
steering group downloads the current status and an issued report."""

from __future__ import annotations

import hashlib
import io
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from measures.models import Measure
from measures.services import status_update_create
from measures.status import Status
from reports.models import Report, ReportState
from teams.roles import PROJECT_LEADER, STEERING_GROUP

from .axe import axe_violations, describe
from .conftest import ARTIFACTS, BrowserProblems, PageFactory
from .test_workspace import assert_layout

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


@pytest.mark.parametrize("width", [375, 1280])
def test_the_steering_group_compares_the_newest_report_with_the_one_before(
    new_page: PageFactory, steering: User, problems: BrowserProblems, width: int
) -> None:
    call_command(
        "issue_report", "--tittel", "Statusrapport 2021", "--til", "2021-12-31", stdout=StringIO()
    )
    running = Measure.objects.public().filter(status=Status.ON_TRACK).order_by("title").first()
    assert running is not None
    status_update_create(
        measure=running,
        status=Status.ON_TRACK,
        progress=min(running.progress + 10, 95),
        comment="Mer framdrift.",
        author_name="Prosjektleder",
    )
    call_command("issue_report", "--tittel", "Statusrapport nå", stdout=StringIO())
    page = new_page(width=width)

    page.goto("/min-side/")
    _log_in(page, "styret")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min side")
    page.get_by_role("link", name=re.compile(r"^Sammenlign med forrige rapport")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sammenlign rapporter")
    expect(page.locator("main")).to_contain_text("«Statusrapport 2021»")
    row = page.get_by_role("row").filter(has_text=running.title)
    expect(row).to_contain_text("+10 prosentpoeng")
    page.screenshot(path=ARTIFACTS / "screenshots" / f"reports-compare-{width}.png", full_page=True)
    _assert_accessible(page, f"comparison at {width} px")
    assert_layout(page, f"comparison at {width} px")
    assert problems.all() == []
