"""Background work of the reminders, for the task worker (see settings.TASKS)."""

from __future__ import annotations

from django.tasks import task

from reminders.services import reminders_send


@task()
def send_reminders() -> dict[str, int]:
    """Send the reminders that are due; what `manage.py send_reminders` does in its own process."""
    result = reminders_send()
    return {"sent": len(result.sent), "failed": len(result.failed)}
