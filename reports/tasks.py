"""Background work of the reports, run by Django's tasks framework (see settings.TASKS)."""

from __future__ import annotations

from django.tasks import task

from reports.services import report_render


@task()
def render_report(report_id: int) -> str:
    """Render and issue one report; returns its final state."""
    return str(report_render(report_id=report_id).state)
