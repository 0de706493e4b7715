"""Reports rendered by a real task worker (django-tasks-db's database backend and `db_worker`),
and what happens when the work is lost: no worker takes it, or the worker dies while rendering."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import services
from reports.models import Report, ReportState
from tests.reports.conftest import FakeRender, Plan, stored_pdfs

pytestmark = pytest.mark.usefixtures("media")

PERIOD_END = dt.date(2024, 6, 30)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PROGRAMME_FORM = {
    "scope": "program",
    "period_start": "2024-01-01",
    "period_end": "2024-06-30",
    "title": "Statusrapport første halvår 2024",
    "_issue": "1",
}
HTMX = {"HX-Request": "true"}

# The worker commits and checks its connections like a separate process, so these tests run
# outside the test transaction (the roles are made again by the user fixtures).
worker_test = pytest.mark.django_db(transaction=True)


def run_worker() -> str:
    """One batch: every task that is ready, then exit (what `make worker` does forever)."""
    out = StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    return out.getvalue()


def progress_fragment(client: Client, report: Report) -> str:
    response = client.get(f"/rapporter/{report.pk}/", headers=HTMX)
    assert response.status_code == 200
    return response.text


@worker_test
def test_a_report_is_queued_and_the_worker_issues_it_with_its_pdf(
    settings: Any, as_leader: Client, plan: Plan, media: Path
) -> None:
    settings.TASKS = DATABASE_TASKS

    response = as_leader.post("/rapporter/ny/", PROGRAMME_FORM)

    report = Report.objects.get()
    assert response["Location"] == f"/rapporter/{report.pk}/"
    # Nothing was rendered during the request: the report waits in the queue.
    assert report.state == ReportState.QUEUED
    assert not report.pdf
    assert stored_pdfs(media) == []
    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert task.task_path == "reports.tasks.render_report"
    assert task.args_kwargs == {"args": [report.pk], "kwargs": {}}
    fragment = progress_fragment(as_leader, report)
    assert 'data-hx-trigger="every 1s"' in fragment
    assert "I kø" in fragment

    run_worker()

    report.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert report.state == ReportState.ISSUED
    assert report.pdf.name
    stored = (media / report.pdf.name).read_bytes()
    assert stored_pdfs(media) == [media / report.pdf.name]
    assert stored.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(stored).hexdigest()
    assert report.page_count
    fragment = progress_fragment(as_leader, report)
    assert "hx-trigger" not in fragment
    assert "Rapporten er utstedt." in fragment
    assert f'href="/rapporter/{report.pk}.pdf"' in fragment


@worker_test
def test_a_report_whose_worker_died_is_shown_failed_and_a_retry_issues_it(
    settings: Any, as_leader: Client, plan: Plan, media: Path, fake_render: FakeRender
) -> None:
    settings.TASKS = DATABASE_TASKS
    as_leader.post("/rapporter/ny/", PROGRAMME_FORM)
    report = Report.objects.get()
    # A worker claimed the task, began rendering and was killed (no exception, no cleanup).
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    Report.objects.update(
        state=ReportState.RENDERING,
        progress=50,
        progress_text="Lager PDF-en",
        state_changed_at=timezone.now() - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES - 1),
    )
    assert "data-hx-trigger" in progress_fragment(as_leader, report)  # still within its time

    Report.objects.update(
        state_changed_at=timezone.now() - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES + 1)
    )
    fragment = progress_fragment(as_leader, report)

    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert "Arbeidet stoppet uten å bli ferdig" in report.error
    assert "hx-trigger" not in fragment
    assert "kunne ikke lages" in fragment
    assert "Arbeidet stoppet uten å bli ferdig" in fragment
    assert f'action="/rapporter/{report.pk}/prov-igjen/"' in fragment

    as_leader.post(f"/rapporter/{report.pk}/prov-igjen/")
    report.refresh_from_db()
    assert report.state == ReportState.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()

    report.refresh_from_db()
    assert report.state == ReportState.ISSUED
    assert fake_render.calls == [report.title]
    assert report.pdf.name
    assert stored_pdfs(media) == [media / report.pdf.name]


# Without a worker: the same rules, with the report rows written directly.


@pytest.mark.django_db
def test_a_report_no_worker_takes_is_given_up_with_a_hint(
    settings: Any, as_leader: Client, plan: Plan, report_maker: Any
) -> None:
    waiting = report_maker(state=ReportState.QUEUED, title="Venter")
    old = report_maker(
        state=ReportState.QUEUED,
        title="Glemt",
        state_changed_at=timezone.now() - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES + 1),
    )

    archive = as_leader.get("/rapporter/")

    old.refresh_from_db()
    waiting.refresh_from_db()
    assert old.state == ReportState.FAILED
    assert "Ingen bakgrunnsprosess tok oppdraget" in old.error
    assert "db_worker" in old.error
    assert waiting.state == ReportState.QUEUED
    assert [r.state for r in archive.context["pending"]] == [ReportState.FAILED, ReportState.QUEUED]


@pytest.mark.django_db
def test_a_result_that_comes_after_the_report_was_given_up_is_discarded(
    settings: Any, plan: Plan, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = Report.objects.create(
        title="Sen", scope="program", period_start=dt.date(2024, 1, 1), period_end=PERIOD_END
    )
    later = timezone.now() + dt.timedelta(minutes=settings.REPORT_STALE_MINUTES + 1)

    def slow_render(html: str, *, title: str, **kwargs: Any) -> tuple[bytes, int]:
        # While the PDF was being made, someone opened the page long after the last step.
        services.report_fail_stale(now=later)
        return b"%PDF-1.4\n% late\n%%EOF\n", 1

    monkeypatch.setattr("reports.pdf.render_pdf", slow_render)

    services.report_render(report_id=report.pk)

    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert "Arbeidet stoppet" in report.error
    assert not report.pdf
    assert stored_pdfs(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ReportState.RENDERING, ReportState.FAILED])
def test_a_task_for_a_report_that_is_not_queued_does_nothing(
    plan: Plan, report_maker: Any, fake_render: FakeRender, state: str
) -> None:
    """A task delivered twice, or late after a retry was started elsewhere, renders nothing."""
    report = report_maker(state=state, error="x" if state == ReportState.FAILED else "")

    services.report_render(report_id=report.pk)

    report.refresh_from_db()
    assert report.state == state
    assert fake_render.calls == []
