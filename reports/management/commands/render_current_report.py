"""Render the current-status report for the programme as it is now, for a scheduled job."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.current import current_report_render, current_report_request, current_state
from reports.models import CurrentReport, CurrentReportState, ReportLanguage


class Command(BaseCommand):
    help = (
        "Lager gjeldende status (/rapporter/gjeldende.pdf, og på engelsk "
        "/en/rapporter/gjeldende.pdf) for programmet slik det er nå, i denne prosessen, om den "
        "ikke alt er laget eller lages. Kjøres rett over midnatt, så rapporten får dagens dato "
        "før noen ber om den."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for language in ReportLanguage.values:
            self._render(language)

    def _render(self, language: str) -> None:
        row = current_report_request(state=current_state(language), enqueue=False)
        if row.state == CurrentReportState.FAILED:  # tried again from here, at once
            CurrentReport.objects.filter(pk=row.pk, state=CurrentReportState.FAILED).update(
                state=CurrentReportState.QUEUED, error="", claim="", state_changed_at=timezone.now()
            )
            row.refresh_from_db()
        if row.state == CurrentReportState.QUEUED:
            done = current_report_render(current_id=row.pk)
            if done is None:
                self.stdout.write("Innholdet endret seg mens rapporten ventet; kjør igjen.")
                return
            row = done
        if row.state == CurrentReportState.DONE:
            self.stdout.write(
                self.style.SUCCESS(f"Gjeldende status er laget: {row.pdf.name} ({row.sha256}).")
            )
        elif row.state == CurrentReportState.RENDERING:
            self.stdout.write("Gjeldende status lages nå av en annen prosess.")
        else:
            raise CommandError(f"Gjeldende status kunne ikke lages: {row.error}")
