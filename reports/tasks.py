"""Background work of the reports, run by Django's tasks framework (see settings.TASKS)."""

from __future__ import annotations

from django.tasks import task

from reports.current import current_report_render
from reports.services import report_render


@task()
def render_report(report_id: int) -> str:
    """Render and issue one report; returns its final state."""
    return str(report_render(report_id=report_id).state)


@task()
def render_current_report(current_id: int) -> str:
    """Render the current-status report for one state, unless a newer state came meanwhile."""
    row = current_report_render(current_id=current_id)
    return str(row.state) if row is not None else "superseded"
