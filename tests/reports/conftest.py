"""Shared pieces of the report tests: a small plan, one user per role, and a stand-in renderer.

A real WeasyPrint render takes a second or more (the first one in a process several), so only the
tests that are about the PDF itself render one; the others use `fake_render`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measures.models import FocusArea, Measure, Programme
from measures.services import status_update_create
from measures.status import Status
from reports import pdf as engine
from reports.current import current_report_render, current_report_request
from reports.models import CurrentReport, CurrentReportState, Report, ReportState, Scope
from reports.schema import Snapshot
from reports.snapshot import build_snapshot
from teams.models import Municipality
from teams.roles import MEASURE_OWNER, PROJECT_LEADER, STEERING_GROUP
from tests.measures.factories import (
    FocusAreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    ProgrammeFactory,
    SubGoalFactory,
)
from tests.teams.factories import MunicipalityFactory, PersonFactory, UserFactory

PROGRAMME_START = dt.date(2024, 1, 1)


@dataclass
class Plan:
    programme: Programme
    infrastructure: FocusArea
    youth: FocusArea
    harstad: Municipality
    narvik: Municipality
    bridge: Measure
    harbour: Measure
    club: Measure
    draft: Measure

    @property
    def published(self) -> list[Measure]:
        return [self.bridge, self.harbour, self.club]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Every PDF a test writes goes to its own temporary folder (`usefixtures("media")`)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_pdfs(root: Path) -> list[Path]:
    return sorted(root.rglob("*.pdf"))


@pytest.fixture
def plan(db: None) -> Plan:
    """The current programme: two focus areas, two municipalities, three published measures (one
    with a status change) and one draft."""
    programme = ProgrammeFactory(
        name="Program Drivkraft", short_name="Drivkraft", is_current=True, start=PROGRAMME_START
    )
    infrastructure = FocusAreaFactory(
        programme=programme, name="Infrastruktur", slug="infrastruktur", order=1
    )
    youth = FocusAreaFactory(programme=programme, name="Ungdom", slug="ungdom", order=2)
    harstad = MunicipalityFactory(name="Harstad", slug="harstad")
    narvik = MunicipalityFactory(name="Narvik", slug="narvik")
    bridge = MeasureFactory(focus_area=infrastructure, title="Bygge ny bru over Tjeldsundet")
    harbour = MeasureFactory(focus_area=infrastructure, title="Utbygging av Engenes fiskerihavn")
    club = MeasureFactory(focus_area=youth, title="Fritidsklubb for ungdommen")
    draft = MeasureFactory(
        focus_area=youth, title="Utkast som ikke er publisert", is_published=False
    )
    bridge.municipalities.add(harstad)
    harbour.municipalities.add(narvik)
    club.municipalities.add(harstad)
    status_update_create(
        measure=bridge,
        status=Status.ON_TRACK,
        progress=30,
        comment="Anbudet er lyst ut.",
        date=dt.date(2024, 6, 1),
        author_name="Prosjektleder",
    )
    bridge.refresh_from_db()
    return Plan(programme, infrastructure, youth, harstad, narvik, bridge, harbour, club, draft)


def _user_in(role: str | None, **kwargs: Any) -> Any:
    user = UserFactory(**kwargs)
    if role is not None:
        # get_or_create: a transactional test flushes the groups the data migration made.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def leader(db: None) -> Any:
    user = _user_in(PROJECT_LEADER, username="leder")
    PersonFactory(name="Sigrid Berg", user=user)
    return user


@pytest.fixture
def owner(db: None) -> Any:
    return _user_in(MEASURE_OWNER, username="ansvarlig")


@pytest.fixture
def steering(db: None) -> Any:
    return _user_in(STEERING_GROUP, username="styret", first_name="Ordfører", last_name="Harstad")


@pytest.fixture
def no_role(db: None) -> Any:
    return _user_in(None, username="uten-rolle", is_staff=True)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_leader(leader: Any) -> Client:
    return logged_in(leader)


def login_url(next_url: str) -> str:
    return f"{reverse('workspace:login')}?next={next_url}"


class FakeRender:
    """Stands in for `reports.pdf.render_pdf`: a tiny, distinct PDF per call."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, html: str, *, title: str, **kwargs: Any) -> tuple[bytes, int]:
        self.calls.append(title)
        return fake_pdf(len(self.calls)), 1


def fake_pdf(number: int = 1) -> bytes:
    return b"%PDF-1.4\n% fake report " + str(number).encode() + b"\n%%EOF\n"


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> FakeRender:
    fake = FakeRender()
    monkeypatch.setattr(engine, "render_pdf", fake)
    return fake


@pytest.fixture
def counting_render(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real renderer, counting its calls."""
    real = engine.render_pdf
    calls: list[str] = []

    def counted(html: str, *, title: str, **kwargs: Any) -> tuple[bytes, int]:
        calls.append(title)
        return real(html, title=title, **kwargs)

    monkeypatch.setattr(engine, "render_pdf", counted)
    return calls


def render_current() -> CurrentReport:
    """Render the current-status report for the programme as it is now, as the task does."""
    row = current_report_request(enqueue=False)
    done = current_report_render(current_id=row.pk)
    assert done is not None
    assert done.state == CurrentReportState.DONE, done.error
    return done


def make_report(
    *,
    state: str = ReportState.ISSUED,
    title: str = "Statusrapport",
    period_start: dt.date = PROGRAMME_START,
    period_end: dt.date = dt.date(2024, 6, 30),
    issued_at: dt.datetime | None = None,
    content: bytes | None = None,
    **kwargs: Any,
) -> Report:
    """A report row in any state, written directly (no render): for pages, not for the PDF."""
    report = Report(
        title=title,
        scope=kwargs.pop("scope", Scope.PROGRAMME),
        period_start=period_start,
        period_end=period_end,
        state=state,
        **kwargs,
    )
    if state != ReportState.ISSUED:
        report.save()
        return report
    # An issued report has its PDF (a database constraint): store the file first, as issuing does.
    report.state = ReportState.RENDERING
    report.save()
    content = content or fake_pdf(report.pk)
    report.pdf.save(f"statusrapport-{report.pk}.pdf", ContentFile(content), save=False)
    report.state = ReportState.ISSUED
    report.issued_at = issued_at or timezone.now()
    report.issued_by_name = report.issued_by_name or "Sigrid Berg"
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.page_count = 1
    report.size_bytes = len(content)
    report.progress = 100
    report.save()
    return report


@pytest.fixture
def report_maker(db: None) -> Callable[..., Report]:
    return make_report


# --- A small plan with a known status history, for the rendered reports --------------------------

TODAY = dt.date(2025, 1, 15)
PERIOD = (dt.date(2024, 2, 1), dt.date(2024, 6, 30))


@dataclass
class Small:
    programme: Programme
    published: list[Measure]
    draft: Measure


def update(measure: Measure, status: str, on: dt.date, comment: str, progress: int) -> None:
    status_update_create(
        measure=measure,
        status=status,
        progress=progress,
        comment=comment,
        date=on,
        author_name="Prosjektleder",
    )
    measure.refresh_from_db()


@pytest.fixture
def small(db: None) -> Small:
    """Two focus areas, three published measures with a known status history, and a draft."""
    programme = ProgrammeFactory(
        name="Program Prøve", short_name="Prøve", is_current=True, start=dt.date(2024, 1, 1)
    )
    SubGoalFactory(programme=programme, number=1, title="Gjennomføre tiltakene")
    roads = FocusAreaFactory(programme=programme, name="Samferdsel", order=1)
    youth = FocusAreaFactory(programme=programme, name="Ungdom", order=2)
    harstad = MunicipalityFactory(name="Harstad")
    bridge = MeasureFactory(focus_area=roads, title="Bygge ny bru over sundet")
    harbour = MeasureFactory(focus_area=roads, title="Utvide fiskerihavna")
    club = MeasureFactory(focus_area=youth, title="Fritidsklubb for ungdommen")
    draft = MeasureFactory(focus_area=youth, title="Hemmelig utkast", is_published=False)
    for measure in (bridge, harbour, club, draft):
        measure.municipalities.add(harstad)

    update(harbour, Status.ON_TRACK, dt.date(2024, 1, 20), "Før perioden.", 10)
    update(bridge, Status.ON_TRACK, dt.date(2024, 3, 1), "Anbudet er lyst ut.", 20)
    update(bridge, Status.ON_TRACK, dt.date(2024, 4, 2), "Samme status, mer framdrift.", 40)
    update(bridge, Status.DELAYED, dt.date(2024, 5, 3), "Leverandøren er forsinket.", 45)
    update(draft, Status.ON_TRACK, dt.date(2024, 5, 4), "Utkastet er i gang.", 10)
    update(harbour, Status.COMPLETED, dt.date(2024, 8, 1), "Etter perioden.", 100)
    indicator = IndicatorFactory(
        measure=bridge, name="Kjøretøy over brua", unit="biler per døgn", target=Decimal(5000)
    )
    IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 5, 1), value=Decimal(1200))
    IndicatorFactory(measure=None, focus_area=roads, name="Reisetid til sykehuset", unit="minutter")
    return Small(programme, [bridge, harbour, club], draft)


def small_snapshot(small: Small, **kwargs: Any) -> Snapshot:
    return build_snapshot(
        programme=small.programme,
        title="Statusrapport våren 2024",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        today=TODAY,
        **kwargs,
    )
