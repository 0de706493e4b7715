"""Issue a status report from the command line, for scheduled runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from measures.models import FocusArea
from reports import services
from reports.models import ReportState, Scope
from teams.models import Municipality


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ugyldig dato «{value}»; bruk ÅÅÅÅ-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Utsteder en statusrapport til styringsgruppen. Uten valg gjelder den hele programmet, "
        "fra forrige utstedte rapport til i dag."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--omrade", metavar="SLUG", help="Bare ett satsingsområde.")
        target.add_argument("--kommune", metavar="SLUG", help="Bare én kommune.")
        parser.add_argument("--fra", metavar="ÅÅÅÅ-MM-DD", help="Periodens start.")
        parser.add_argument("--til", metavar="ÅÅÅÅ-MM-DD", help="Periodens slutt (i dag).")
        parser.add_argument("--tittel", help="Rapportens tittel.")
        parser.add_argument("--bruker", metavar="BRUKERNAVN", help="Hvem som utsteder.")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = services.default_period()
        start = _date(options["fra"]) if options["fra"] else start
        end = _date(options["til"]) if options["til"] else end
        focus_area = municipality = None
        scope = Scope.PROGRAMME
        if options["omrade"]:
            focus_area = FocusArea.objects.filter(
                slug=options["omrade"], programme__is_current=True
            ).first()
            if focus_area is None:
                raise CommandError(f"Ukjent satsingsområde «{options['omrade']}».")
            scope = Scope.FOCUS_AREA
        if options["kommune"]:
            municipality = Municipality.objects.filter(slug=options["kommune"]).first()
            if municipality is None:
                raise CommandError(f"Ukjent kommune «{options['kommune']}».")
            scope = Scope.MUNICIPALITY
        user = None
        if options["bruker"]:
            user = get_user_model().objects.filter(username=options["bruker"]).first()
            if user is None:
                raise CommandError(f"Ukjent bruker «{options['bruker']}».")
        scope_name = str(focus_area or municipality or Scope.PROGRAMME.label)
        title = options["tittel"] or services.default_title(scope_name=scope_name, period_end=end)
        try:
            report = services.report_request(
                title=title,
                scope=scope,
                period_start=start,
                period_end=end,
                focus_area=focus_area,
                municipality=municipality,
                user=user,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        report.refresh_from_db()
        if report.state == ReportState.ISSUED:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Utstedt: «{report.title}» ({report.page_count} sider), "
                    f"{report.pdf.name}, SHA-256 {report.sha256}"
                )
            )
        elif report.state == ReportState.FAILED:
            raise CommandError(f"Rapporten feilet: {report.error}")
        else:
            self.stdout.write(
                f"Bestilt: «{report.title}» (nr. {report.pk}); en arbeider lager den."
            )
