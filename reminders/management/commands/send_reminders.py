"""Send the reminders that are due: daily, from a systemd timer or the task worker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reminders.services import reminders_send


class Command(BaseCommand):
    help = (
        "Sender påminnelser på e-post: hver tiltaksansvarlig får én oppsummering av egne tiltak "
        "som trenger dem, prosjektlederen en ukentlig oversikt over hele programmet. Høyst én "
        "påminnelse per person per uke; å kjøre kommandoen to ganger sender ingenting to ganger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Legg jobben i køen til oppgavearbeideren (db_worker) i stedet for å sende her.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SITE_URL:
            raise CommandError(
                "SITE_URL er ikke satt: lenkene i påminnelsene trenger nettstedets adresse "
                "(for eksempel https://drivkraft.example.no)."
            )
        if options["queue"]:
            from reminders.tasks import send_reminders

            queued = send_reminders.enqueue()
            self.stdout.write(f"Påminnelsene er lagt i køen ({queued.id}).")
            return
        result = reminders_send()
        self.stdout.write(
            self.style.SUCCESS(f"Sendte {len(result.sent)} påminnelse(r).")
            if result.sent
            else "Ingen påminnelser å sende nå."
        )
        if result.failed:
            raise CommandError(
                f"{len(result.failed)} påminnelse(r) kunne ikke sendes og prøves igjen neste "
                "gang (se loggen)."
            )
