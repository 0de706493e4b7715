"""Deletes the e-mail addresses of public input whose purpose is over (participation.services);
run daily by the worker's timer (docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from participation.services import EMAIL_RETENTION_DAYS, delete_input_emails


class Command(BaseCommand):
    help = (
        f"Sletter e-postadressen i innspill som ble besvart for mer enn {EMAIL_RETENTION_DAYS} "
        "dager siden (og i avviste innspill uten svar like lenge etter avgjørelsen)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = delete_input_emails()
        self.stdout.write(f"Slettet e-postadressen i {count} innspill.")
