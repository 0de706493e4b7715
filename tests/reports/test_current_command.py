"""`render_current_report` for a scheduled job: it retries a failed render, leaves one that another
process is making alone, says when the content moved under it, and fails loudly on an error."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports import current
from reports.models import CurrentReport, CurrentReportState
from tests.reports.conftest import FakeRender, Plan


def run() -> str:
    out = StringIO()
    call_command("render_current_report", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_failed_render_is_tried_again_at_once(plan: Plan, fake_render: FakeRender) -> None:
    row = current.current_report_request(enqueue=False)
    CurrentReport.objects.filter(pk=row.pk).update(
        state=CurrentReportState.FAILED, error="OSError: full disk"
    )

    output = run()

    row.refresh_from_db()
    assert row.state == CurrentReportState.DONE
    assert row.error == ""
    # The failed Norwegian one once more, and the English one (each language has its own file).
    assert [title.split()[0] for title in fake_render.calls] == ["Gjeldende", "Current"]
    assert "Gjeldende status er laget" in output


@pytest.mark.django_db
def test_a_render_in_another_process_is_left_alone(plan: Plan, fake_render: FakeRender) -> None:
    row = current.current_report_request(enqueue=False)
    CurrentReport.objects.filter(pk=row.pk).update(
        state=CurrentReportState.RENDERING, claim="other", state_changed_at=timezone.now()
    )

    output = run()

    assert "lages nå av en annen prosess" in output
    # Only the English one, which no one else is making, is made here.
    assert [title.split()[0] for title in fake_render.calls] == ["Current"]
    assert CurrentReport.objects.get(pk=row.pk).state == CurrentReportState.RENDERING


@pytest.mark.django_db
def test_content_that_moved_while_waiting_asks_for_another_run(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "reports.management.commands.render_current_report.current_report_render",
        lambda **kwargs: None,
    )

    assert "kjør igjen" in run()


@pytest.mark.django_db
def test_a_failing_render_fails_the_command_with_its_error(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("full disk")

    monkeypatch.setattr("reports.pdf.render_pdf", broken)

    with pytest.raises(CommandError, match="OSError: full disk"):
        run()
