"""Status reports to the steering group: requested, rendered in the background, issued, kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    PROGRAMME = "program", _("Hele programmet")
    FOCUS_AREA = "omrade", _("Ett satsingsområde")
    MUNICIPALITY = "kommune", _("Én kommune")


class ReportState(models.TextChoices):
    QUEUED = "i-ko", _("I kø")
    RENDERING = "lages", _("Lages")
    ISSUED = "utstedt", _("Utstedt")
    FAILED = "feilet", _("Feilet")


def report_path(report: Report, filename: str) -> str:
    return f"rapporter/{report.issued_at or report.requested_at:%Y}/statusrapport-{report.pk}.pdf"


class Report(models.Model):
    title = models.CharField(_("tittel"), max_length=200)
    scope = models.CharField(_("omfang"), max_length=10, choices=Scope)
    focus_area = models.ForeignKey(
        "measures.FocusArea",
        verbose_name=_("satsingsområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    municipality = models.ForeignKey(
        "teams.Municipality",
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til"))
    state = models.CharField(
        _("tilstand"), max_length=10, choices=ReportState, default=ReportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("framdrift (%)"), default=0)
    progress_text = models.CharField(_("hva som skjer nå"), max_length=200, blank=True)
    error = models.TextField(_("feilmelding"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestilt av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    # Renewed on every step of the work: a report that stops moving is stale (report_fail_stale).
    # The database's default too, so code from before the column keeps inserting during a deploy.
    state_changed_at = models.DateTimeField(
        _("sist endret"), default=timezone.now, db_default=Now()
    )
    issued_at = models.DateTimeField(_("utstedt"), null=True, blank=True)
    issued_by_name = models.CharField(_("utstedt av"), max_length=200, blank=True)
    snapshot = models.JSONField(
        _("øyeblikksbilde"), null=True, blank=True, help_text=_("Dataene rapporten ble laget av.")
    )
    pdf = models.FileField(_("PDF"), upload_to=report_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("antall sider"), null=True, blank=True)
    size_bytes = models.PositiveIntegerField(_("størrelse (byte)"), null=True, blank=True)

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["-issued_at", "-requested_at"]
        permissions = [
            ("issue_report", _("Kan utstede statusrapporter")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_end_after_start",
                violation_error_message=_("Perioden kan ikke slutte før den begynner."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.PROGRAMME)
                    & Q(focus_area__isnull=True)
                    & Q(municipality__isnull=True)
                )
                | (
                    Q(scope=Scope.FOCUS_AREA)
                    & Q(focus_area__isnull=False)
                    & Q(municipality__isnull=True)
                )
                | (
                    Q(scope=Scope.MUNICIPALITY)
                    & Q(focus_area__isnull=True)
                    & Q(municipality__isnull=False)
                ),
                name="report_scope_matches_target",
                violation_error_message=_(
                    "Omfanget og satsingsområdet/kommunen passer ikke sammen."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.ISSUED)
                | (Q(issued_at__isnull=False) & ~Q(sha256="") & ~Q(pdf="")),
                name="report_issued_has_pdf",
                violation_error_message=_("En utstedt rapport har PDF, tidspunkt og sjekksum."),
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"pk": self.pk})

    @property
    def scope_name(self) -> str:
        if self.focus_area_id:
            return str(self.focus_area)
        if self.municipality_id:
            return str(self.municipality)
        return str(Scope.PROGRAMME.label)

    @property
    def is_done(self) -> bool:
        return self.state in (ReportState.ISSUED, ReportState.FAILED)


class CurrentReportState(models.TextChoices):
    QUEUED = "i-ko", _("I kø")
    RENDERING = "lages", _("Lages")
    DONE = "ferdig", _("Ferdig")
    FAILED = "feilet", _("Feilet")


class ReportLanguage(models.TextChoices):
    """The languages of the current-status report's labels (its content is Norwegian)."""

    NB = "nb", _("Norsk bokmål")
    EN = "en", _("Engelsk")


class CurrentReport(models.Model):
    """One render of the current-status report (/rapporter/gjeldende.pdf, and in English
    /en/rapporter/gjeldende.pdf) for one state of the programme: its content revision, the day
    (the report counts «not updated» from it), the start of its period (the day after the last
    issued programme report) and the language of its labels.

    The row for a state is made once (`stamp` is unique) and claimed by one worker (queued →
    rendering, with its own `claim`), so no state is rendered twice. The page serves the newest
    finished render; see `reports.current`.
    """

    stamp = models.CharField(_("nøkkel"), max_length=80, unique=True)
    revision = models.PositiveBigIntegerField(_("innholdsrevisjon"))
    day = models.DateField(_("dato"))
    period_start = models.DateField(_("periode fra"))
    # The database's default too, so code from before the column keeps inserting during a deploy.
    language = models.CharField(
        _("språk"),
        max_length=8,
        choices=ReportLanguage,
        default=ReportLanguage.NB,
        db_default=ReportLanguage.NB,
    )
    state = models.CharField(
        _("tilstand"),
        max_length=10,
        choices=CurrentReportState,
        default=CurrentReportState.QUEUED,
    )
    claim = models.CharField(_("tatt av"), max_length=32, blank=True)
    requested_at = models.DateTimeField(_("bestilt"), default=timezone.now)
    state_changed_at = models.DateTimeField(_("sist endret"), default=timezone.now)
    made_at = models.DateTimeField(_("laget"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="rapporter/gjeldende/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("feilmelding"), blank=True)

    class Meta:
        verbose_name = _("gjeldende status")
        verbose_name_plural = _("gjeldende status")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=CurrentReportState.DONE)
                | (Q(made_at__isnull=False) & ~Q(sha256="") & ~Q(pdf="")),
                name="currentreport_done_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.day:%d.%m.%Y} / {self.revision} / {self.language} ({self.get_state_display()})"
        )
