"""`manage.py issue_report`: issuing from the command line, for scheduled runs. One real PDF; the
other tests are about scope, period and messages, so they use the stand-in renderer."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports import pdf as engine
from reports.models import Report, ReportState, Scope
from tests.measures.factories import FocusAreaFactory, ProgrammeFactory
from tests.reports.conftest import PROGRAMME_START, FakeRender, Plan, stored_pdfs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def issue(*args: str) -> str:
    out = StringIO()
    call_command("issue_report", *args, stdout=out)
    return out.getvalue()


def test_by_default_it_issues_a_programme_report_up_to_today(plan: Plan, media: Path) -> None:
    output = issue()

    report = Report.objects.get()
    today = timezone.localdate()
    assert report.state == ReportState.ISSUED
    assert report.scope == Scope.PROGRAMME
    assert report.focus_area is None
    assert report.municipality is None
    assert (report.period_start, report.period_end) == (PROGRAMME_START, today)
    assert report.title == f"Statusrapport hele programmet {today:%d.%m.%Y}"
    assert report.issued_at is not None
    assert report.requested_by is None
    assert report.pdf.name
    stored = (media / report.pdf.name).read_bytes()
    assert stored.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(stored).hexdigest()
    assert report.page_count is not None
    assert report.page_count > 0
    assert "Utstedt" in output
    assert report.sha256 in output
    assert report.pdf.name in output


def test_omrade_scopes_it_to_one_focus_area(plan: Plan, fake_render: FakeRender) -> None:
    issue("--omrade", "infrastruktur")

    report = Report.objects.get()
    assert report.state == ReportState.ISSUED
    assert report.scope == Scope.FOCUS_AREA
    assert report.focus_area == plan.infrastructure
    assert report.municipality is None
    assert report.title.startswith("Statusrapport Infrastruktur ")
    assert report.snapshot is not None
    assert report.snapshot["scope"]["slug"] == "infrastruktur"
    titles = [m["title"] for area in report.snapshot["focus_areas"] for m in area["measures"]]
    assert sorted(titles) == sorted([plan.bridge.title, plan.harbour.title])


def test_kommune_scopes_it_to_one_municipality(plan: Plan, fake_render: FakeRender) -> None:
    issue("--kommune", "narvik")

    report = Report.objects.get()
    assert report.state == ReportState.ISSUED
    assert report.scope == Scope.MUNICIPALITY
    assert report.municipality == plan.narvik
    assert report.focus_area is None
    assert report.title.startswith("Statusrapport Narvik ")
    assert report.snapshot is not None
    titles = [m["title"] for area in report.snapshot["focus_areas"] for m in area["measures"]]
    assert titles == [plan.harbour.title]


def test_fra_til_title_and_user_are_taken_as_given(
    plan: Plan, leader: Any, fake_render: FakeRender
) -> None:
    issue(
        *("--fra", "2024-02-01", "--til", "2024-05-31"),
        *("--tittel", "Til møtet i juni", "--bruker", "leder"),
    )

    report = Report.objects.get()
    assert (report.period_start, report.period_end) == (dt.date(2024, 2, 1), dt.date(2024, 5, 31))
    assert report.title == "Til møtet i juni"
    assert report.requested_by == leader
    assert report.issued_by_name == "Sigrid Berg"
    assert fake_render.calls == ["Til møtet i juni"]


def test_the_default_title_is_dated_by_the_period_end(plan: Plan, fake_render: FakeRender) -> None:
    issue("--til", "2024-05-31")

    assert Report.objects.get().title == "Statusrapport hele programmet 31.05.2024"


def test_the_next_run_starts_the_day_after_the_previous_report(
    plan: Plan, fake_render: FakeRender
) -> None:
    issue("--til", "2024-03-31")
    issue()

    latest = Report.objects.order_by("-pk").first()
    assert latest is not None
    assert (latest.period_start, latest.period_end) == (dt.date(2024, 4, 1), timezone.localdate())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--omrade", "finnes-ikke"], "Ukjent satsingsområde «finnes-ikke»."),
        (["--kommune", "tromso"], "Ukjent kommune «tromso»."),
        (["--bruker", "ingen"], "Ukjent bruker «ingen»."),
        (["--fra", "2024-02-30"], "Ugyldig dato «2024-02-30»; bruk ÅÅÅÅ-MM-DD."),
        (["--til", "31.05.2024"], "Ugyldig dato «31.05.2024»; bruk ÅÅÅÅ-MM-DD."),
        (
            ["--fra", "2024-06-30", "--til", "2024-01-01"],
            "Perioden kan ikke slutte før den begynner.",
        ),
        (["--til", "2999-01-01"], "Perioden kan ikke slutte fram i tid."),
    ],
    ids=["omrade", "kommune", "bruker", "fra", "til", "reversed", "future"],
)
def test_bad_arguments_give_a_norwegian_error_and_create_nothing(
    plan: Plan, media: Path, fake_render: FakeRender, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        issue(*args)

    assert str(error.value) == message
    assert not Report.objects.exists()
    assert stored_pdfs(media) == []
    assert fake_render.calls == []


def test_omrade_and_kommune_cannot_be_combined(plan: Plan, fake_render: FakeRender) -> None:
    with pytest.raises(CommandError):
        issue("--omrade", "infrastruktur", "--kommune", "narvik")
    assert not Report.objects.exists()


def test_a_failed_render_is_a_command_error_with_the_reason(
    plan: Plan, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: str, *, title: str, **kwargs: Any) -> tuple[bytes, int]:
        raise OSError("Ingen plass igjen på disken")

    monkeypatch.setattr(engine, "render_pdf", broken)

    with pytest.raises(CommandError) as error:
        issue()

    assert str(error.value) == "Rapporten feilet: OSError: Ingen plass igjen på disken"
    assert Report.objects.get().state == ReportState.FAILED
    assert stored_pdfs(media) == []


def test_omrade_accepts_only_the_current_programmes_focus_areas(
    plan: Plan, fake_render: FakeRender
) -> None:
    old = FocusAreaFactory(programme=ProgrammeFactory(is_current=False), slug="gammelt-omrade")

    with pytest.raises(CommandError):
        issue("--omrade", old.slug)
    assert not Report.objects.exists()
