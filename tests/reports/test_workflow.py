"""Making a report as a Prosjektleder: form, preview, issue, archive, download, failure and retry,
progress. Real PDFs are rendered only where the PDF itself is under test (four renders here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.http import FileResponse
from django.test import Client
from django.utils import timezone

from measures.services import measure_save, measure_set_published, status_update_create
from measures.status import Status
from reports import layouts, services
from reports import pdf as engine
from reports.models import Report, ReportState, Scope
from reports.tasks import render_report
from tests.reports.conftest import (
    PROGRAMME_START,
    FakeRender,
    Plan,
    logged_in,
    stored_pdfs,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PERIOD_END = dt.date(2024, 6, 30)
PERIOD = {"period_start": "2024-01-01", "period_end": "2024-06-30"}
PROGRAMME_FORM = {"scope": "program", **PERIOD, "title": "Statusrapport første halvår 2024"}


def preview_link(page: str) -> str:
    links = re.findall(r'href="(/rapporter/ny/forhandsvisning/\?[^"]*)"', page)
    assert len(links) == 1, links
    return html.unescape(links[0])


def download(client: Client, report: Report) -> tuple[bytes, Any]:
    response = client.get(f"/rapporter/{report.pk}.pdf")
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    return b"".join(response.streaming_content), response


# Step 1: the form and its default period


def test_the_form_starts_at_the_programme_start_and_ends_today(
    as_leader: Client, plan: Plan
) -> None:
    response = as_leader.get("/rapporter/ny/")

    assert response.status_code == 200
    form = response.context["form"]
    assert form["scope"].value() == Scope.PROGRAMME
    assert form["period_start"].value() == PROGRAMME_START
    assert form["period_end"].value() == timezone.localdate()
    assert 'value="2024-01-01"' in response.text
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in response.text
    # Issuing comes after the preview.
    assert 'name="_preview"' in response.text
    assert 'name="_issue"' not in response.text


def test_the_period_follows_the_previous_issued_programme_report(
    as_leader: Client, plan: Plan, report_maker: Any
) -> None:
    report_maker(period_end=dt.date(2024, 3, 31))
    report_maker(period_end=dt.date(2024, 5, 31))  # the latest programme report
    # Neither a later report of one focus area nor a failed programme report moves the start.
    report_maker(scope=Scope.FOCUS_AREA, focus_area=plan.youth, period_end=dt.date(2024, 8, 31))
    report_maker(state=ReportState.FAILED, period_end=dt.date(2024, 9, 30))

    form = as_leader.get("/rapporter/ny/").context["form"]

    assert form["period_start"].value() == dt.date(2024, 6, 1)
    assert form["period_end"].value() == timezone.localdate()
    assert services.default_period(today=dt.date(2024, 12, 1)) == (
        dt.date(2024, 6, 1),
        dt.date(2024, 12, 1),
    )


# Step 2: preview


def test_preview_shows_the_figures_and_creates_nothing(
    as_leader: Client, plan: Plan, media: Path, fake_render: FakeRender
) -> None:
    response = as_leader.post("/rapporter/ny/", {**PROGRAMME_FORM, "_preview": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors == {}
    page = response.text
    assert "Forhåndsvisning" in page
    assert "Statusrapport første halvår 2024" in page
    assert "3 tiltak" in page  # the draft is not counted
    assert "1 statusendring i perioden" in page
    assert preview_link(page).startswith("/rapporter/ny/forhandsvisning/?")
    assert 'name="_issue"' in page  # now it may be issued
    assert not Report.objects.exists()
    assert stored_pdfs(media) == []
    assert fake_render.calls == []


def test_the_html_preview_is_the_report_with_the_published_measures(
    as_leader: Client, plan: Plan, media: Path, fake_render: FakeRender
) -> None:
    page = as_leader.post("/rapporter/ny/", {**PROGRAMME_FORM, "_preview": "1"}).text

    response = as_leader.get(preview_link(page))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    for measure in plan.published:
        assert measure.title in response.text
    assert plan.draft.title not in response.text
    assert "Statusrapport første halvår 2024" in response.text
    assert not Report.objects.exists()
    assert stored_pdfs(media) == []
    assert fake_render.calls == []


def test_the_html_preview_of_one_focus_area_holds_only_its_measures(
    as_leader: Client, plan: Plan
) -> None:
    response = as_leader.get(
        "/rapporter/ny/forhandsvisning/",
        {"scope": "omrade", "focus_area": str(plan.infrastructure.pk), **PERIOD},
    )

    assert response.status_code == 200
    assert plan.bridge.title in response.text
    assert plan.harbour.title in response.text
    assert plan.club.title not in response.text


def test_the_preview_link_carries_only_the_report_choices(as_leader: Client, plan: Plan) -> None:
    page = as_leader.post(
        "/rapporter/ny/",
        {**PROGRAMME_FORM, "_preview": "1", "csrfmiddlewaretoken": "hemmelig-token"},
    ).text

    link = preview_link(page)
    assert "csrfmiddlewaretoken" not in link
    assert "hemmelig-token" not in link


# Step 3: issue (real PDF)


def test_issuing_renders_stores_and_archives_the_pdf(
    as_leader: Client, leader: Any, plan: Plan, media: Path
) -> None:
    before = timezone.now()

    response = as_leader.post("/rapporter/ny/", {**PROGRAMME_FORM, "_issue": "1"})

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rapporter/{report.pk}/"
    assert report.state == ReportState.ISSUED
    assert report.error == ""
    assert report.progress == 100
    assert report.title == "Statusrapport første halvår 2024"
    assert report.scope == Scope.PROGRAMME
    assert (report.period_start, report.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert report.requested_by == leader
    assert report.issued_by_name == "Sigrid Berg"
    assert report.issued_at is not None
    assert before <= report.issued_at <= timezone.now()

    assert report.pdf.name
    stored = (media / report.pdf.name).read_bytes()
    assert stored_pdfs(media) == [media / report.pdf.name]
    assert stored.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(stored).hexdigest()
    assert report.size_bytes == len(stored)
    # What is stored, and digested, is the finished PDF/UA file (reports.pdfua), footer artifact
    # and all, not WeasyPrint's unfinished one.
    with pikepdf.open(io.BytesIO(stored)) as document:
        assert b"/Pagination" in document.pages[0].Contents.read_bytes()
    assert report.page_count is not None
    assert report.page_count > 0
    assert report.snapshot is not None
    assert report.snapshot["title"] == report.title
    assert report.snapshot["period"] == {"start": "2024-01-01", "end": "2024-06-30"}

    detail = as_leader.get(f"/rapporter/{report.pk}/").text
    assert "Rapporten er utstedt." in detail
    assert f'href="/rapporter/{report.pk}.pdf"' in detail
    assert report.sha256 in detail
    assert 'hx-trigger="every 1s"' not in detail

    archive = as_leader.get("/rapporter/")
    assert list(archive.context["reports"]) == [report]
    assert f'href="/rapporter/{report.pk}.pdf"' in archive.text

    content, response = download(as_leader, report)
    assert content == stored
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{report.sha256}"'
    assert f"statusrapport-{report.pk}-2024-06-30.pdf" in response["Content-Disposition"]


def test_the_archive_lists_issued_reports_newest_first(
    steering: Any, plan: Plan, report_maker: Any
) -> None:
    now = timezone.now()
    oldest = report_maker(
        title="Rapport januar",
        period_end=dt.date(2024, 1, 31),
        issued_at=now - dt.timedelta(days=60),
        issued_by_name="Sigrid Berg",
    )
    newest = report_maker(
        title="Rapport Harstad",
        scope=Scope.MUNICIPALITY,
        municipality=plan.harstad,
        period_start=dt.date(2024, 2, 1),
        period_end=dt.date(2024, 3, 31),
        issued_at=now - dt.timedelta(days=1),
        issued_by_name="Ola Nordmann",
    )
    middle = report_maker(
        title="Rapport februar",
        period_end=dt.date(2024, 2, 29),
        issued_at=now - dt.timedelta(days=30),
    )
    report_maker(state=ReportState.FAILED, title="Feilet rapport", error="OSError: full disk")
    report_maker(state=ReportState.RENDERING, title="Rapport under arbeid")

    response = logged_in(steering).get("/rapporter/")

    assert list(response.context["reports"]) == [newest, middle, oldest]
    page = response.text
    assert (
        page.index("Rapport Harstad") < page.index("Rapport februar") < page.index("Rapport januar")
    )
    assert "Feilet rapport" not in page
    assert "Rapport under arbeid" not in page
    row = page[page.index("Rapport Harstad") : page.index("Rapport februar")]
    assert "Harstad" in row  # scope
    assert "1.2.2024–31.3.2024" in row  # period
    assert timezone.localtime(newest.issued_at).strftime("%Y-%m-%d") in row  # date
    assert "Ola Nordmann" in row  # issuer
    assert 'data-label="Sider">1</td>' in row  # page count
    assert f'href="/rapporter/{newest.pk}.pdf"' in row  # download


def test_the_archive_gives_the_issue_time_to_the_second(
    steering: Any, plan: Plan, report_maker: Any
) -> None:
    """HTML allows at most three digits of a second in <time datetime>; `date:'c'` wrote six."""
    issued = dt.datetime(2026, 11, 29, 15, 6, 53, 696052, tzinfo=dt.UTC)
    report_maker(title="Rapport november", issued_at=issued)

    page = logged_in(steering).get("/rapporter/").text

    assert '<time datetime="2026-11-29T16:06:53+01:00">29. november 2026 16:06</time>' in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_archive_takes_eight_queries_for_1_and_for_30_reports(
    as_leader: Client,
    plan: Plan,
    report_maker: Any,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    for number in range(count):
        area = {"scope": Scope.FOCUS_AREA, "focus_area": plan.youth} if number % 2 else {}
        report_maker(title=f"Rapport {number}", **area)
    report_maker(state=ReportState.FAILED, title="Feilet")

    # Session, user, groups; issued and unfinished reports; the current status (its newest render,
    # the content revision and the last programme report: is it up to date?).
    with django_assert_max_num_queries(8):
        response = as_leader.get("/rapporter/")
    assert len(response.context["reports"]) == count


# Immutability (real PDF)


def test_an_issued_report_never_changes(
    as_leader: Client, leader: Any, plan: Plan, counting_render: list[str]
) -> None:
    as_leader.post("/rapporter/ny/", {**PROGRAMME_FORM, "_issue": "1"})
    report = Report.objects.get(state=ReportState.ISSUED)
    first, _response = download(as_leader, report)
    snapshot = report.snapshot
    assert plan.draft.title not in str(snapshot)

    # Later edits of every kind:
    bridge = plan.bridge
    bridge.title = "Ny bru, nytt navn"
    measure_save(measure=bridge, expected_version=bridge.version, user=leader)
    status_update_create(
        measure=plan.harbour,
        status=Status.DELAYED,
        progress=10,
        comment="Venter på finansiering.",
        author=leader,
    )
    measure_set_published(measures=[plan.draft], published=True, user=leader)
    # ... and the render task delivered once more.
    render_report.enqueue(report.pk)
    services.report_render(report_id=report.pk)

    report.refresh_from_db()
    again, response = download(as_leader, report)
    assert again == first
    assert hashlib.sha256(again).hexdigest() == report.sha256
    assert response["ETag"] == f'"{report.sha256}"'
    assert report.snapshot == snapshot
    assert "Ny bru, nytt navn" not in str(report.snapshot)
    assert counting_render == [report.title]  # rendered once, never again
    # The edits are real: a report made now does see them.
    now = str(services.report_build_snapshot(report))
    assert "Ny bru, nytt navn" in now
    assert plan.draft.title in now


# Validation


@pytest.mark.parametrize("button", ["_issue", "_preview"])
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scope": "omrade"}, "focus_area"),
        ({"scope": "kommune"}, "municipality"),
        ({"period_start": "2024-06-30", "period_end": "2024-01-01"}, "period_end"),
    ],
    ids=["omrade-without-focus-area", "kommune-without-municipality", "reversed-period"],
)
def test_an_incomplete_order_is_refused(
    as_leader: Client,
    plan: Plan,
    media: Path,
    fake_render: FakeRender,
    data: dict[str, str],
    field: str,
    button: str,
) -> None:
    response = as_leader.post("/rapporter/ny/", {"scope": "program", **PERIOD, **data, button: "1"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert "Rett opp feilene under." in response.text
    assert "preview" not in response.context
    assert not Report.objects.exists()
    assert stored_pdfs(media) == []
    assert fake_render.calls == []


def test_a_period_ending_in_the_future_is_not_issued(
    as_leader: Client, plan: Plan, media: Path, fake_render: FakeRender
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = as_leader.post(
        "/rapporter/ny/", {**PROGRAMME_FORM, "period_end": tomorrow.isoformat(), "_issue": "1"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["period_end"] == ["Perioden kan ikke slutte fram i tid."]
    assert not Report.objects.exists()
    assert stored_pdfs(media) == []
    assert fake_render.calls == []


def test_a_period_ending_in_the_future_is_refused_already_at_the_preview(
    as_leader: Client, plan: Plan
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = as_leader.post(
        "/rapporter/ny/", {**PROGRAMME_FORM, "period_end": tomorrow.isoformat(), "_preview": "1"}
    )

    assert "period_end" in response.context["form"].errors
    assert "preview" not in response.context


@pytest.mark.parametrize("button", ["_issue", "_preview"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"scope": "alt"},
        {"scope": "omrade", "focus_area": "999999"},
        {"scope": "omrade", "focus_area": "ikke-et-tall"},
        {"scope": "kommune", "municipality": "-1"},
        {"period_start": "2024-13-45"},
        {"period_end": "i morgen"},
        {"title": "x" * 201},
    ],
    ids=lambda data: ",".join(data) or "empty",
)
def test_unknown_values_give_form_errors_not_500(
    as_leader: Client,
    plan: Plan,
    fake_render: FakeRender,
    data: dict[str, str],
    button: str,
) -> None:
    posted = {**PROGRAMME_FORM, **data, button: "1"} if data else {button: "1"}
    as_leader.raise_request_exception = False

    response = as_leader.post("/rapporter/ny/", posted)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Report.objects.exists()
    assert fake_render.calls == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?scope=alt&period_start=2024-01-01&period_end=2024-06-30",
        "?scope=omrade&focus_area=999999&period_start=2024-01-01&period_end=2024-06-30",
        "?scope=program&period_start=x&period_end=2024-06-30",
    ],
)
def test_an_html_preview_of_unknown_values_is_a_400(
    as_leader: Client, plan: Plan, query: str
) -> None:
    as_leader.raise_request_exception = False
    response = as_leader.get(f"/rapporter/ny/forhandsvisning/{query}")
    assert response.status_code == 400


def test_unknown_reports_are_404(as_leader: Client, plan: Plan) -> None:
    as_leader.raise_request_exception = False
    assert as_leader.get("/rapporter/999999/").status_code == 404
    assert as_leader.get("/rapporter/999999.pdf").status_code == 404
    assert as_leader.post("/rapporter/999999/prov-igjen/").status_code == 404


@pytest.mark.parametrize("state", [ReportState.ISSUED, ReportState.RENDERING])
def test_retrying_a_report_that_has_not_failed_is_not_a_500(
    as_leader: Client, plan: Plan, report_maker: Any, fake_render: FakeRender, state: str
) -> None:
    report = report_maker(state=state)
    as_leader.raise_request_exception = False

    response = as_leader.post(f"/rapporter/{report.pk}/prov-igjen/")

    assert response.status_code in (302, 400, 409)
    report.refresh_from_db()
    assert report.state == state
    assert fake_render.calls == []


# Failure and retry (one real PDF, for the retry)


def test_a_failed_render_is_shown_with_its_reason_and_can_be_retried(
    as_leader: Client,
    steering: Any,
    plan: Plan,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_render_pdf = engine.render_pdf

    def broken(html: str, *, title: str, **kwargs: Any) -> tuple[bytes, int]:
        raise RuntimeError("Skriften Source Sans mangler")

    monkeypatch.setattr(engine, "render_pdf", broken)

    response = as_leader.post("/rapporter/ny/", {**PROGRAMME_FORM, "_issue": "1"})

    report = Report.objects.get()
    assert response["Location"] == f"/rapporter/{report.pk}/"
    assert report.state == ReportState.FAILED
    assert report.error == "RuntimeError: Skriften Source Sans mangler"
    assert not report.pdf
    assert report.sha256 == ""
    assert report.issued_at is None
    assert report.snapshot is None
    assert stored_pdfs(media) == []
    assert list(as_leader.get("/rapporter/").context["reports"]) == []
    assert report.title not in logged_in(steering).get("/rapporter/").text

    detail = as_leader.get(f"/rapporter/{report.pk}/").text
    assert "kunne ikke lages" in detail
    assert "RuntimeError: Skriften Source Sans mangler" in detail
    assert f'action="/rapporter/{report.pk}/prov-igjen/"' in detail
    assert 'hx-trigger="every 1s"' not in detail
    assert as_leader.get(f"/rapporter/{report.pk}.pdf").status_code == 404

    monkeypatch.setattr(engine, "render_pdf", real_render_pdf)
    response = as_leader.post(f"/rapporter/{report.pk}/prov-igjen/")

    assert response["Location"] == f"/rapporter/{report.pk}/"
    report.refresh_from_db()
    assert report.state == ReportState.ISSUED
    assert report.error == ""
    assert report.pdf.name
    stored = (media / report.pdf.name).read_bytes()
    assert stored.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(stored).hexdigest()
    assert list(as_leader.get("/rapporter/").context["reports"]) == [report]
    assert "kunne ikke lages" not in as_leader.get(f"/rapporter/{report.pk}/").text


def test_a_failure_while_laying_out_the_html_is_recorded_too(
    as_leader: Client, plan: Plan, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(snapshot: dict[str, Any]) -> str:
        raise KeyError("figures")

    monkeypatch.setattr(layouts, "render_report_html", broken)

    as_leader.post("/rapporter/ny/", {**PROGRAMME_FORM, "_issue": "1"})

    report = Report.objects.get()
    assert report.state == ReportState.FAILED
    assert report.error == "KeyError: 'figures'"
    assert stored_pdfs(media) == []


def test_a_failure_after_the_pdf_was_written_leaves_no_file(
    plan: Plan, media: Path, fake_render: FakeRender, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = Report.objects.create(
        title="Rapport", scope=Scope.PROGRAMME, period_start=PROGRAMME_START, period_end=PERIOD_END
    )

    def database_gone(self: Report, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("databasen svarer ikke")

    monkeypatch.setattr(Report, "save", database_gone)

    services.report_render(report_id=report.pk)

    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert stored_pdfs(media) == []


# Progress while rendering


@pytest.mark.parametrize("state", [ReportState.QUEUED, ReportState.RENDERING])
def test_the_page_of_an_unfinished_report_polls_its_progress(
    as_leader: Client, plan: Plan, report_maker: Any, state: str
) -> None:
    report = report_maker(state=state, progress=50, progress_text="Lager PDF-en")

    page = as_leader.get(f"/rapporter/{report.pk}/").text

    assert "<h1>" in page
    assert f'data-hx-get="/rapporter/{report.pk}/"' in page
    assert 'data-hx-trigger="every 1s"' in page
    assert re.search(r'<progress max="100" value="50"', page)
    assert "Lager PDF-en" in page
    assert f'href="/rapporter/{report.pk}.pdf"' not in page


def test_htmx_gets_only_the_progress_fragment(
    as_leader: Client, plan: Plan, report_maker: Any
) -> None:
    report = report_maker(state=ReportState.RENDERING, progress=30, progress_text="Setter opp")

    response = as_leader.get(f"/rapporter/{report.pk}/", headers={"HX-Request": "true"})

    fragment = response.text.strip()
    assert response.status_code == 200
    assert fragment.startswith('<div id="report-progress"')
    assert fragment.endswith("</div>")
    assert "<html" not in fragment
    assert "<h1>" not in fragment
    assert f'data-hx-get="/rapporter/{report.pk}/"' in fragment
    assert 'data-hx-trigger="every 1s"' in fragment
    assert "<progress" in fragment


def test_a_history_restore_gets_the_whole_page(
    as_leader: Client, plan: Plan, report_maker: Any
) -> None:
    report = report_maker(state=ReportState.RENDERING)

    response = as_leader.get(
        f"/rapporter/{report.pk}/",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.text
    assert "<h1>" in response.text


def test_the_fragment_of_an_issued_report_stops_polling_and_offers_the_download(
    as_leader: Client, plan: Plan, report_maker: Any
) -> None:
    report = report_maker()

    fragment = as_leader.get(f"/rapporter/{report.pk}/", headers={"HX-Request": "true"}).text

    assert fragment.strip().startswith('<div id="report-progress"')
    assert "hx-get" not in fragment
    assert "hx-trigger" not in fragment
    assert "<progress" not in fragment
    assert f'href="/rapporter/{report.pk}.pdf"' in fragment
    assert report.sha256 in fragment


def test_the_fragment_of_a_failed_report_stops_polling_and_offers_a_retry(
    as_leader: Client, plan: Plan, report_maker: Any
) -> None:
    report = report_maker(state=ReportState.FAILED, error="OSError: full disk")

    fragment = as_leader.get(f"/rapporter/{report.pk}/", headers={"HX-Request": "true"}).text

    assert "hx-trigger" not in fragment
    assert "kunne ikke lages" in fragment
    assert "OSError: full disk" in fragment
    assert f'action="/rapporter/{report.pk}/prov-igjen/"' in fragment
