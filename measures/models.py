"""The plan: programme, focus areas, goals, measures, their status timeline and indicators."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from drivkraft.core.reversing import slug_url
from measures.status import Status, StatusInfo, status_info

if TYPE_CHECKING:
    from datetime import date, datetime

PROGRESS_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


def progress_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Invariants shared by a measure and each of its status updates."""
    return [
        models.CheckConstraint(
            condition=Q(progress__gte=0) & Q(progress__lte=100),
            name=f"{prefix}_progress_0_100",
            violation_error_message=_("Framdriften må være mellom 0 og 100 %%."),
        ),
        models.CheckConstraint(
            condition=~Q(status=Status.COMPLETED) | Q(progress=100),
            name=f"{prefix}_completed_is_100",
            violation_error_message=_("Et gjennomført tiltak har 100 %% framdrift."),
        ),
        models.CheckConstraint(
            condition=Q(status__in=Status.values),
            name=f"{prefix}_status_known",
            violation_error_message=_("Ukjent status."),
        ),
    ]


class Programme(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(_("kortnavn"), max_length=100)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=100, unique=True)
    owner = models.ForeignKey(
        "teams.Organisation",
        verbose_name=_("prosjekteier"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("slutt"))
    project_goal = models.TextField(_("prosjektmål"))
    effect_goal = models.TextField(_("effektmål"), blank=True)
    description = models.TextField(_("om programmet"), blank=True)
    is_current = models.BooleanField(
        _("gjeldende program"),
        default=False,
        help_text=_("Programmet som vises på forsiden. Bare ett program kan være gjeldende."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="programme_single_current",
                violation_error_message=_("Bare ett program kan være gjeldende."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="programme_end_after_start",
                violation_error_message=_("Programmet kan ikke slutte før det starter."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class SubGoal(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="sub_goals"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("delmål"), max_length=300)
    description = models.TextField(_("beskrivelse"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    assessment = models.TextField(
        _("vurdering"), blank=True, help_text=_("Prosjektledelsens vurdering av måloppnåelsen.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="subgoal_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class FocusArea(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="focus_areas"
    )
    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("satsingsområde")
        verbose_name_plural = _("satsingsområder")
        ordering = ["programme", "order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("measures:focus_area_detail", self.slug)


class Goal(models.Model):
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("satsingsområde"), on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivelse"), blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["focus_area", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["focus_area", "title"], name="goal_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class MeasureQuerySet(models.QuerySet["Measure"]):
    def public(self) -> MeasureQuerySet:
        """Measures anyone may see: published and not archived."""
        return self.filter(is_published=True, archived_at__isnull=True)


class Measure(models.Model):
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("satsingsområde"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("mål"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        help_text=_("Målet i satsingsområdet som tiltaket skal bidra til."),
    )
    title = models.CharField(_("tittel"), max_length=300)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=120, unique=True)
    summary = models.TextField(_("sammendrag"), help_text=_("Én eller to setninger om tiltaket."))
    description = models.TextField(
        _("om tiltaket"), blank=True, help_text=_("Markdown. Vises på tiltakets offentlige side.")
    )
    strategy = models.TextField(
        _("strategi"), blank=True, help_text=_("Strategien tiltaket følger for å nå målet.")
    )
    expected_result = models.TextField(
        _("forventet resultat"), blank=True, help_text=_("Det målbare resultatet tiltaket skal gi.")
    )
    planned_start = models.DateField(_("planlagt start"), null=True, blank=True)
    planned_end = models.DateField(
        _("planlagt slutt"), null=True, blank=True, help_text=_("Fristen i den vedtatte planen.")
    )
    forecast_end = models.DateField(
        _("forventet slutt"),
        null=True,
        blank=True,
        help_text=_("Når tiltaket nå ventes ferdig. Senere enn planlagt slutt betyr forsinkelse."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("framdrift (%)"), default=0, validators=PROGRESS_VALIDATORS
    )
    responsible = models.ForeignKey(
        "teams.Person",
        verbose_name=_("tiltaksansvarlig"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures_responsible",
    )
    co_owners = models.ManyToManyField(
        "teams.Person",
        verbose_name=_("medansvarlige"),
        blank=True,
        related_name="measures_co_owned",
    )
    municipalities = models.ManyToManyField(
        "teams.Municipality",
        verbose_name=_("kommuner"),
        blank=True,
        related_name="measures",
    )
    partners = models.ManyToManyField(
        "teams.Organisation",
        verbose_name=_("samarbeidspartnere"),
        blank=True,
        related_name="measures",
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("relaterte tiltak"), blank=True, symmetrical=True
    )
    is_published = models.BooleanField(
        _("publisert"), default=False, help_text=_("Bare publiserte tiltak vises offentlig.")
    )
    archived_at = models.DateTimeField(
        _("arkivert"),
        null=True,
        blank=True,
        help_text=_("Et arkivert tiltak er skjult for publikum, men historikken er bevart."),
    )
    version = models.PositiveIntegerField(
        _("versjon"),
        default=1,
        editable=False,
        help_text=_("Øker ved hver endring, så samtidige endringer oppdages."),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)
    last_status_update_at = models.DateTimeField(
        _("sist statusoppdatert"), null=True, blank=True, editable=False
    )

    objects = MeasureQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["municipalities", "partners", "co_owners", "related"])

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        ordering = ["focus_area__order", "title"]
        constraints = [
            *progress_constraints("measure"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="measure_planned_end_after_start",
                violation_error_message=_("Planlagt slutt kan ikke være før planlagt start."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="measure_version_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "archived_at", "status"]),
            models.Index(fields=["last_status_update_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("measures:measure_detail", self.slug)

    @property
    def status_info(self) -> StatusInfo:
        return status_info(self.status)

    @property
    def is_delayed(self) -> bool:
        """The forecast passes the plan (the baseline)."""
        return bool(self.forecast_end and self.planned_end and self.forecast_end > self.planned_end)


class StatusUpdateQuerySet(models.QuerySet["StatusUpdate"]):
    def public(self) -> StatusUpdateQuerySet:
        """Updates of public measures, newest first, with their measure."""
        return (
            self.filter(measure__is_published=True, measure__archived_at__isnull=True)
            .select_related("measure__focus_area")
            .order_by("-date", "-created_at", "-id")
        )


class StatusUpdate(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="status_updates"
    )
    date = models.DateField(_("dato"))
    previous_status = models.CharField(
        _("forrige status"), max_length=20, choices=Status.choices, blank=True
    )
    status = models.CharField(_("ny status"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(_("framdrift (%)"), validators=PROGRESS_VALIDATORS)
    forecast_end = models.DateField(_("forventet slutt"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_updates",
    )
    author_name = models.CharField(
        _("navn på den som rapporterte"),
        max_length=200,
        blank=True,
        help_text=_("Vises offentlig; tas fra personen knyttet til innloggingen."),
    )
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    objects = StatusUpdateQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statusoppdatering")
        verbose_name_plural = _("statusoppdateringer")
        ordering = ["-date", "-created_at", "-id"]
        get_latest_by = ["date", "created_at", "id"]
        constraints = [
            *progress_constraints("statusupdate"),
            models.CheckConstraint(
                condition=Q(previous_status="") | Q(previous_status__in=Status.values),
                name="statusupdate_previous_status_known",
            ),
        ]
        indexes = [models.Index(fields=["-date", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_status_display()} ({self.date:%d.%m.%Y})"

    @property
    def status_info(self) -> StatusInfo:
        return status_info(self.status)

    @property
    def previous_status_info(self) -> StatusInfo | None:
        return status_info(self.previous_status) if self.previous_status else None

    @property
    def is_transition(self) -> bool:
        return self.previous_status != self.status


class Indicator(models.Model):
    """A measurable result of either one measure or one focus area, never both."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("tiltak"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("satsingsområde"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    unit = models.CharField(
        _("enhet"), max_length=50, help_text=_("For eksempel «deltakere» eller «%».")
    )
    baseline = models.DecimalField(_("utgangsverdi"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("dato for utgangsverdi"), null=True, blank=True)
    target = models.DecimalField(_("målverdi"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("måldato"))
    higher_is_better = models.BooleanField(
        _("høyere er bedre"),
        default=True,
        help_text=_("Slå av når målet er å få tallet ned, som for frafall."),
    )
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(measure__isnull=False) & Q(focus_area__isnull=True))
                | (Q(measure__isnull=True) & Q(focus_area__isnull=False)),
                name="indicator_one_owner",
                violation_error_message=_(
                    "En indikator hører til enten ett tiltak eller ett satsingsområde."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="values"
    )
    date = models.DateField(_("dato"))
    value = models.DecimalField(_("verdi"), max_digits=14, decimal_places=2)
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikatorverdi")
        verbose_name_plural = _("indikatorverdier")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"], name="indicatorvalue_unique_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.date:%d.%m.%Y})"


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def open(self) -> MilestoneQuerySet:
        """Not yet done."""
        return self.filter(completed_on__isnull=True)

    def late(self, today: date) -> MilestoneQuerySet:
        """Not done, and the due date has passed."""
        return self.open().filter(due_date__lt=today)

    def due_within(self, days: int, today: date) -> MilestoneQuerySet:
        """Not done, and due between today and `days` days from today (both included)."""
        return self.open().filter(due_date__gte=today, due_date__lte=today + timedelta(days=days))

    def on_public_measures(self) -> MilestoneQuerySet:
        """Milestones of measures anyone may see (published and not archived)."""
        return self.filter(measure__is_published=True, measure__archived_at__isnull=True)


class MilestoneState(models.TextChoices):
    """Where a milestone stands on a given day: what the measure page groups them by, in words
    (a late one is said to be late, never shown by colour alone)."""

    DONE = "nadd", _("Nådd")
    LATE = "forsinket", _("Forsinket")
    COMING = "kommende", _("Kommende")


class Milestone(models.Model):
    """A dated next step of a measure: done when `completed_on` is set, late when its due date
    has passed without that."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milepæl"), max_length=200)
    due_date = models.DateField(_("frist"))
    completed_on = models.DateField(
        _("fullført"), null=True, blank=True, help_text=_("Tom til milepælen er nådd.")
    )
    order = models.PositiveIntegerField(
        _("rekkefølge"), default=0, help_text=_("Lavere tall vises først.")
    )

    objects = MilestoneQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")
        ordering = ("order", "due_date", "pk")
        indexes = [models.Index(fields=["completed_on", "due_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d.%m.%Y})"

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    def is_late(self, today: date) -> bool:
        """The due date has passed and the milestone is not done."""
        return self.completed_on is None and self.due_date < today

    def state(self, today: date) -> MilestoneState:
        if self.completed_on is not None:
            return MilestoneState.DONE
        return MilestoneState.LATE if self.due_date < today else MilestoneState.COMING


class DecisionQuerySet(models.QuerySet["Decision"]):
    def pending(self) -> DecisionQuerySet:
        """Asked for, and not yet recorded."""
        return self.filter(decided_on__isnull=True)

    def decided(self) -> DecisionQuerySet:
        return self.filter(decided_on__isnull=False)


class Decision(models.Model):
    """A question put to the steering group about a measure («Trenger beslutning»), and, once it
    is recorded, the decision (date and text), which joins the measure's public timeline."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="decisions"
    )
    question = models.TextField(
        _("hva trengs det beslutning om"),
        max_length=500,
        help_text=_("Kort: hva styringsgruppen skal ta stilling til."),
    )
    requested_at = models.DateTimeField(_("meldt"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("meldt av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions_requested",
    )
    decided_on = models.DateField(_("besluttet"), null=True, blank=True)
    decision = models.TextField(_("beslutning"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions_recorded",
    )

    objects = DecisionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        ordering = ("-requested_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=(Q(decided_on__isnull=True) & Q(decision=""))
                | (Q(decided_on__isnull=False) & ~Q(decision="")),
                name="decision_recorded_with_date_and_text",
                violation_error_message=_("En beslutning har både dato og tekst."),
            ),
        ]
        indexes = [models.Index(fields=["decided_on"])]

    def __str__(self) -> str:
        return self.question if len(self.question) <= 80 else self.question[:79] + "…"

    @property
    def is_pending(self) -> bool:
        return self.decided_on is None


def _stale_limit(days: int | None) -> int:
    return int(getattr(settings, "STALE_DAYS", 90)) if days is None else days


def measure_is_stale(
    measure: Measure,
    *,
    today: date,
    days: int | None = None,
    programme_end: date | None = None,
) -> bool:
    """No status update for more than `days` days (`settings.STALE_DAYS` by default), or never,
    on a measure that is still running in a programme that is still running.

    Completed and stopped measures are never stale; once the programme's end date has passed,
    nothing is. `programme_end` saves the lookup through the focus area where the caller knows
    it (lists); without it, `measure.focus_area.programme` is read (select it with the measure).
    """
    if measure.status in (Status.COMPLETED, Status.STOPPED):
        return False
    if programme_end is None and measure.focus_area_id is not None:
        programme_end = measure.focus_area.programme.end
    if programme_end is not None and today > programme_end:
        return False
    if measure.last_status_update_at is None:
        return True
    return (today - timezone.localdate(measure.last_status_update_at)).days > _stale_limit(days)


def _months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


# Under this many days the age is told in days («for 95 dager siden»), from there in months,
# and from two years in years.
_AGE_IN_DAYS_BELOW = 120


def stale_age_text(last_update: date | datetime, today: date) -> str:
    """How long ago `last_update` was, in words: «for 95 dager siden», «for 3 måneder siden»,
    «for 4 år siden». A date and time is read as the local date."""
    if isinstance(last_update, dt.datetime):
        last_update = timezone.localdate(last_update)
    days = max((today - last_update).days, 0)
    if days == 0:
        return str(_("i dag"))
    if days < _AGE_IN_DAYS_BELOW:
        return ngettext("for %(count)d dag siden", "for %(count)d dager siden", days) % {
            "count": days
        }
    months = _months_between(last_update, today)
    if months < 24:
        return ngettext("for %(count)d måned siden", "for %(count)d måneder siden", months) % {
            "count": months
        }
    years = months // 12
    return ngettext("for %(count)d år siden", "for %(count)d år siden", years) % {"count": years}
