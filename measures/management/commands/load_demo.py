"""Load the demo programme (Drivkraft in Hålogalandsrådet), optionally with synthetic measures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from measures.demo import load_demo
from measures.demo.users import create_demo_users, password_file


class Command(BaseCommand):
    help = (
        "Laster demoprogrammet Drivkraft: kommuner, organisasjoner, organer, satsingsområder, "
        "tiltak med statushistorikk og indikatorer. Kan kjøres flere ganger uten å lage dubletter."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--measures",
            type=int,
            default=0,
            metavar="N",
            help=(
                "Legg i tillegg til N syntetiske tiltak for ytelsestester "
                "(de som finnes, hoppes over)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        synthetic = options["measures"]
        if synthetic < 0:
            raise CommandError("--measures kan ikke være negativt.")
        summary = load_demo(synthetic_measures=synthetic)
        self.stdout.write(self.style.SUCCESS("Demoprogrammet Drivkraft er lastet."))
        self.stdout.write(
            f"  Kommuner: {summary.municipalities} · organisasjoner: {summary.organisations} · "
            f"personer: {summary.people} · organer: {summary.bodies} "
            f"({summary.memberships} medlemskap)"
        )
        self.stdout.write(
            f"  Satsingsområder: {summary.focus_areas} · mål: {summary.goals} · "
            f"tiltak: {summary.measures} ({summary.published_measures} publisert, "
            f"{summary.new_measures} nye)"
        )
        self.stdout.write(
            f"  Statusoppdateringer: {summary.status_updates} ({summary.new_status_updates} nye) · "
            f"indikatorer: {summary.indicators} med {summary.indicator_values} verdier"
        )
        if synthetic:
            self.stdout.write(
                f"  Syntetiske tiltak: {summary.new_synthetic_measures} nye av {synthetic} ønsket"
            )
        users = create_demo_users()
        if users:
            names = ", ".join(f"{u.username} ({u.role})" for u in users)
            self.stdout.write(f"  Demobrukere: {names}. Passordene står i {password_file()}")
        else:
            self.stdout.write("  Ingen demobrukere: de lages bare når DEBUG er på.")
