"""The current-status PDF (/rapporter/gjeldende.pdf) is made by a task, never in a request, and
once per state of the programme (content revision, day, start of the period).

No real PDF is rendered here: `fake_render` counts the calls to WeasyPrint's stand-in.
"""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.http import parse_http_date
from django_tasks_db.models import DBTaskResult

from drivkraft.core.revision import content_changed
from measures.services import status_update_create
from measures.status import Status
from reports import current, services
from reports.models import CurrentReport, CurrentReportState, Report, ReportState
from tests.reports.conftest import FakeRender, Plan, fake_pdf, logged_in, render_current

pytestmark = pytest.mark.usefixtures("media")

URL = "/rapporter/gjeldende.pdf"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker commits and checks its connections like a separate process (see test_worker.py).
worker_test = pytest.mark.django_db(transaction=True)


def run_worker() -> str:
    out = StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    return out.getvalue()


def change(plan: Plan, number: int = 1) -> None:
    """A change to the public content, through the service, as a project leader makes it."""
    status_update_create(
        measure=plan.club,
        status=Status.ON_TRACK,
        progress=min(10 * number, 100),
        comment=f"Endring {number}.",
    )


@pytest.fixture
def on_change(settings: Any) -> Any:
    """The current-status report is rendered again after each committed change (as in
    production; the test settings turn it off for every other test)."""
    settings.CURRENT_REPORT_ON_CHANGE = True
    settings.CURRENT_REPORT_DELAY_SECONDS = 0
    return settings


@pytest.fixture
def view_never_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fails the test if the page's view reaches the renderer (directly or through a task)."""
    calls: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        calls.append("rendered")
        raise AssertionError("the current-status report was rendered inside a request")

    monkeypatch.setattr("reports.current._render", refuse)
    return calls


# --- The page serves what a task made ----------------------------------------------------------


@pytest.mark.django_db
def test_before_the_first_render_the_page_says_it_is_being_made(
    steering: Any, plan: Plan, view_never_renders: list[str]
) -> None:
    client = logged_in(steering)

    response = client.get(URL)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Gjeldende status lages nå" in response.text
    assert "no-store" in response["Cache-Control"]
    assert view_never_renders == []
    # The immediate backend would render in this request: nothing is queued with it.
    assert not CurrentReport.objects.exists()


@pytest.mark.django_db
def test_a_stale_file_is_served_with_its_time_until_the_new_one_is_ready(
    steering: Any, plan: Plan, fake_render: FakeRender, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render_current()
    change(plan)  # committed later by a worker's render; until then the old file is served
    monkeypatch.setattr("reports.current._render", _refuse_in_view)
    client = logged_in(steering)

    stale = client.get(URL)

    assert stale.status_code == 200
    assert stale.content == fake_pdf(1)
    assert stale["X-Report-Status"] == "outdated"
    assert first.made_at is not None
    assert parse_http_date(stale["Last-Modified"]) == int(first.made_at.timestamp())
    made = timezone.localtime(first.made_at)
    archive = client.get("/rapporter/").text
    assert f"Gjeldende status ble laget {made:%-d}. " in archive
    assert f"kl. {made:%H.%M}." in archive
    assert "Noe er endret siden; en ny versjon lages nå." in archive
    # The PDF says it too: its title, on the cover, holds the time its data was read.
    assert fake_render.calls == [current.current_report_title(first.made_at)]

    monkeypatch.undo()
    monkeypatch.setattr("reports.pdf.render_pdf", fake_render)
    render_current()
    fresh = client.get(URL)

    assert fresh.content == fake_pdf(2)
    assert fresh["X-Report-Status"] == "current"
    assert "Noe er endret siden" not in client.get("/rapporter/").text


def rendered_languages(titles: list[str]) -> list[str]:
    """The language of each current-status render, by the title the fake renderer recorded."""
    return ["en" if title.startswith("Current status") else "nb" for title in titles]


def _refuse_in_view(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the current-status report was rendered inside a request")


@pytest.mark.django_db
def test_the_pdf_answers_304_to_its_etag(
    steering: Any, plan: Plan, fake_render: FakeRender
) -> None:
    render_current()
    client = logged_in(steering)
    etag = client.get(URL)["ETag"]

    not_modified = client.get(URL, headers={"If-None-Match": etag})

    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert client.get(URL, headers={"If-None-Match": '"noe-annet"'}).content == fake_pdf(1)


# --- One render per state ------------------------------------------------------------------------


@pytest.mark.django_db
def test_three_requests_after_a_change_cause_exactly_one_render(
    steering: Any,
    plan: Plan,
    fake_render: FakeRender,
    on_change: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = logged_in(steering)

    with django_capture_on_commit_callbacks(execute=True):
        change(plan)
    responses = [client.get(URL) for _ in range(3)]

    # One render per language (the English labels are a file of their own), none per request.
    assert rendered_languages(fake_render.calls) == ["nb", "en"]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert {r.content for r in responses} == {fake_pdf(1)}
    assert {r["X-Report-Status"] for r in responses} == {"current"}


@pytest.mark.django_db
def test_a_burst_of_ten_changes_in_one_transaction_makes_one_render(
    plan: Plan, fake_render: FakeRender, on_change: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(1, 11):
            change(plan, number)

    assert len(callbacks) >= 10  # one per change
    assert rendered_languages(fake_render.calls) == ["nb", "en"]  # one per language
    assert {(r.language, r.state) for r in CurrentReport.objects.all()} == {
        ("nb", CurrentReportState.DONE),
        ("en", CurrentReportState.DONE),
    }


@worker_test
def test_a_burst_of_ten_committed_changes_makes_one_render_by_the_worker(
    settings: Any, steering: Any, plan: Plan, fake_render: FakeRender, on_change: Any
) -> None:
    settings.TASKS = DATABASE_TASKS

    for number in range(1, 11):
        change(plan, number)  # each commits: ten states, ten tasks per language

    assert (
        DBTaskResult.objects.filter(task_path="reports.tasks.render_current_report").count() == 20
    )
    run_worker()

    assert rendered_languages(fake_render.calls) == ["nb", "en"]
    done = CurrentReport.objects.get(state=CurrentReportState.DONE, language="nb")
    assert done.stamp == current.current_state().stamp  # the last state
    english = CurrentReport.objects.get(state=CurrentReportState.DONE, language="en")
    assert english.stamp == current.current_state("en").stamp
    # the nine others of each language dropped
    assert not CurrentReport.objects.exclude(pk__in=[done.pk, english.pk]).exists()
    response = logged_in(steering).get(URL)
    assert response["X-Report-Status"] == "current"


@worker_test
def test_the_task_waits_before_it_renders(settings: Any, plan: Plan, on_change: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.CURRENT_REPORT_DELAY_SECONDS = 10
    before = timezone.now()

    change(plan)

    tasks = DBTaskResult.objects.filter(task_path="reports.tasks.render_current_report")
    assert len(tasks) == 2  # one per language
    assert all(task.run_after >= before + dt.timedelta(seconds=10) for task in tasks)
    run_worker()  # not due yet
    assert {r.state for r in CurrentReport.objects.all()} == {CurrentReportState.QUEUED}


@worker_test
def test_requests_enqueue_the_state_once_and_the_worker_renders_it_once(
    settings: Any, steering: Any, plan: Plan, fake_render: FakeRender
) -> None:
    settings.TASKS = DATABASE_TASKS
    client = logged_in(steering)

    responses = [client.get(URL) for _ in range(3)]

    assert [r.status_code for r in responses] == [503, 503, 503]
    assert fake_render.calls == []
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert len(fake_render.calls) == 1
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    assert len(fake_render.calls) == 1


@worker_test
def test_three_concurrent_requests_make_one_row_and_one_render(
    settings: Any, steering: Any, plan: Plan, fake_render: FakeRender
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database answers a second writer «locked»")
    settings.TASKS = DATABASE_TASKS
    barrier = threading.Barrier(3)
    statuses: list[int] = []

    def fetch() -> None:
        client = logged_in(steering)
        barrier.wait()
        statuses.append(client.get(URL).status_code)
        connection.close()

    threads = [threading.Thread(target=fetch) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [503, 503, 503]
    assert CurrentReport.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert len(fake_render.calls) == 1


@pytest.mark.django_db
def test_a_state_is_claimed_once(plan: Plan, fake_render: FakeRender) -> None:
    row = current.current_report_request(enqueue=False)
    assert current.current_report_request(enqueue=False).pk == row.pk

    first = current.current_report_render(current_id=row.pk)
    second = current.current_report_render(current_id=row.pk)  # a task delivered twice

    assert first is not None
    assert second is not None
    assert first.state == second.state == CurrentReportState.DONE
    assert len(fake_render.calls) == 1


@pytest.mark.django_db
def test_a_task_whose_state_was_overtaken_renders_nothing(
    plan: Plan, fake_render: FakeRender
) -> None:
    old = current.current_report_request(enqueue=False)
    content_changed()

    assert current.current_report_render(current_id=old.pk) is None
    assert fake_render.calls == []
    assert not CurrentReport.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_a_render_whose_worker_died_is_queued_again(
    settings: Any, plan: Plan, fake_render: FakeRender
) -> None:
    row = current.current_report_request(enqueue=False)
    long_ago = timezone.now() - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES + 1)
    CurrentReport.objects.filter(pk=row.pk).update(
        state=CurrentReportState.RENDERING, claim="dead", state_changed_at=long_ago
    )

    again = current.current_report_request()  # the immediate backend renders it

    assert again.pk == row.pk
    assert CurrentReport.objects.get(pk=row.pk).state == CurrentReportState.DONE
    assert len(fake_render.calls) == 1


@pytest.mark.django_db
def test_a_failed_render_is_recorded_and_leaves_no_file(
    plan: Plan, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("full disk")

    monkeypatch.setattr("reports.pdf.render_pdf", broken)
    row = current.current_report_request(enqueue=False)

    failed = current.current_report_render(current_id=row.pk)

    assert failed is not None
    assert failed.state == CurrentReportState.FAILED
    assert failed.error == "OSError: full disk"
    assert list(media.rglob("*.pdf")) == []


@pytest.mark.django_db
def test_only_the_newest_renders_and_their_files_are_kept(
    plan: Plan, media: Path, fake_render: FakeRender
) -> None:
    for number in range(1, 5):
        change(plan, number)
        render_current()

    kept = CurrentReport.objects.order_by("pk")
    assert kept.count() == current.KEEP_DONE
    assert sorted(p.name for p in media.rglob("*.pdf")) == sorted(
        Path(row.pdf.name or "").name for row in kept
    )
    assert not Report.objects.exists()  # the current status is not an issued report


# --- A new day, a new programme report -----------------------------------------------------------


@worker_test
def test_the_first_request_of_a_new_day_queues_its_render(
    settings: Any, steering: Any, plan: Plan, fake_render: FakeRender, monkeypatch: Any
) -> None:
    settings.TASKS = DATABASE_TASKS
    render_current()
    client = logged_in(steering)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    first, second = client.get(URL), client.get(URL)

    assert first.content == second.content == fake_pdf(1)  # yesterday's, until today's is made
    assert first["X-Report-Status"] == "outdated"
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert len(fake_render.calls) == 2
    today = CurrentReport.objects.get(state=CurrentReportState.DONE, day=tomorrow)
    assert client.get(URL).content == fake_pdf(2)
    assert today.period_start == plan.programme.start


@pytest.mark.django_db
def test_with_the_immediate_backend_a_request_queues_nothing(
    steering: Any, plan: Plan, fake_render: FakeRender
) -> None:
    render_current()
    change(plan)

    logged_in(steering).get(URL)

    assert len(fake_render.calls) == 1
    assert CurrentReport.objects.count() == 1


@pytest.mark.django_db
def test_issuing_a_programme_report_renders_the_current_status_again(
    as_leader: Client,
    plan: Plan,
    fake_render: FakeRender,
    on_change: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    render_current()
    with django_capture_on_commit_callbacks(execute=True):
        as_leader.post(
            "/rapporter/ny/",
            {
                "scope": "program",
                "period_start": "2024-01-01",
                "period_end": "2024-06-30",
                "title": "Statusrapport",
                "_issue": "1",
            },
        )

    assert Report.objects.get().state == ReportState.ISSUED
    # The current status, the report, the current status in each language.
    assert len(fake_render.calls) == 4
    newest = current.current_report_newest()
    assert newest is not None
    assert newest.period_start == dt.date(2024, 7, 1)


@pytest.mark.django_db
def test_the_command_renders_the_current_state_once(plan: Plan, fake_render: FakeRender) -> None:
    out = StringIO()
    call_command("render_current_report", stdout=out)
    call_command("render_current_report", stdout=out)

    assert rendered_languages(fake_render.calls) == ["nb", "en"]  # each language once
    assert out.getvalue().count("Gjeldende status er laget") == 4
    assert {services.default_period()[1]} == {r.day for r in CurrentReport.objects.all()}
