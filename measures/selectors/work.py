"""The work lists of Min side: what needs an owner's or the project leader's attention, and the
stored measures that break a consistency rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures.models import Decision, FocusArea, Measure, measure_is_stale, stale_age_text
from measures.status import Status
from measures.validation import measure_consistency_errors


def with_work_counts(measures: QuerySet[Measure], *, today: dt.date) -> QuerySet[Measure]:
    """The measures with `late_milestone_count` and `pending_decision_count`, in the same query."""
    return measures.annotate(
        late_milestone_count=Count(
            "milestones",
            filter=Q(milestones__completed_on__isnull=True, milestones__due_date__lt=today),
            distinct=True,
        ),
        pending_decision_count=Count(
            "decisions", filter=Q(decisions__decided_on__isnull=True), distinct=True
        ),
    )


@dataclass
class OwnMeasure:
    """A measure on someone's work list, with what needs attention, the most urgent first."""

    measure: Measure
    is_stale: bool
    reasons: list[str] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)  # measure_consistency_errors' messages

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)


def _day(date: dt.date) -> str:
    return date.strftime("%d.%m.%Y")


def measure_attention(measure: Measure, *, today: dt.date) -> OwnMeasure:
    """Why a measure needs its owner's attention: no update for `settings.STALE_DAYS` days, an
    expected end after the planned end while it runs, a status that breaks a consistency rule;
    late milestones and a decision pending, when the measure comes `with_work_counts`."""
    is_stale = measure_is_stale(measure, today=today)
    rule_errors = [
        message
        for messages in measure_consistency_errors(measure, today=today).values()
        for message in messages
    ]
    reasons = []
    if is_stale:
        if measure.last_status_update_at is None:
            reasons.append(_("Har aldri fått en statusoppdatering"))
        else:
            last = timezone.localdate(measure.last_status_update_at)
            reasons.append(
                _("Sist oppdatert %(age)s (%(date)s)")
                % {"age": stale_age_text(last, today), "date": _day(last)}
            )
    running = measure.status not in (Status.COMPLETED, Status.STOPPED)
    late_milestones = getattr(measure, "late_milestone_count", 0)
    if running and late_milestones:
        reasons.append(
            ngettext(
                "%(count)s milepæl er forsinket",
                "%(count)s milepæler er forsinket",
                late_milestones,
            )
            % {"count": late_milestones}
        )
    pending_decisions = getattr(measure, "pending_decision_count", 0)
    if running and pending_decisions:
        reasons.append(_("Venter på beslutning fra styringsgruppen"))
    if running and measure.is_delayed and measure.forecast_end and measure.planned_end:
        reasons.append(
            _("Forventet slutt %(forecast)s er %(days)s dager etter planlagt slutt %(planned)s")
            % {
                "forecast": _day(measure.forecast_end),
                "planned": _day(measure.planned_end),
                "days": (measure.forecast_end - measure.planned_end).days,
            }
        )
    if rule_errors:
        reasons.append(_("Statusen stemmer ikke med datoene eller framdriften"))
    return OwnMeasure(measure, is_stale, reasons, rule_errors)


def _attention_first(rows: list[OwnMeasure]) -> list[OwnMeasure]:
    return sorted(rows, key=lambda row: not row.needs_attention)  # stable: titles stay in order


def my_measures(*, user: Any, today: dt.date) -> list[OwnMeasure]:
    """The measures the user is responsible for or co-owns (drafts too, not archived), those that
    need attention first, then by title. Two queries, however many measures."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []
    measures = with_work_counts(
        Measure.objects.filter(archived_at__isnull=True)
        .filter(Q(responsible=person) | Q(co_owners=person))
        .select_related("focus_area__programme")
        .annotate(indicator_count=Count("indicators", distinct=True))
        .distinct()
        .order_by("title"),
        today=today,
    )
    return _attention_first([measure_attention(m, today=today) for m in measures])


@dataclass
class AreaAttention:
    area: FocusArea
    rows: list[OwnMeasure]


def programme_attention(*, today: dt.date) -> list[AreaAttention]:
    """Every measure of the current programme (drafts too, not archived) that needs attention,
    grouped by focus area in the plan's order. One query."""
    measures = with_work_counts(
        Measure.objects.filter(archived_at__isnull=True, focus_area__programme__is_current=True)
        .select_related("focus_area__programme", "responsible")
        .order_by("focus_area__order", "focus_area__name", "title"),
        today=today,
    )
    groups: dict[int, AreaAttention] = {}
    for measure in measures:
        row = measure_attention(measure, today=today)
        if row.needs_attention:
            group = groups.setdefault(measure.focus_area_id, AreaAttention(measure.focus_area, []))
            group.rows.append(row)
    return list(groups.values())


def inconsistent_measures(*, today: dt.date) -> list[OwnMeasure]:
    """Measures (not archived) whose stored state breaks a consistency rule of
    `measures.validation`, with the rules' messages: data from before the rules, or plan dates
    edited afterwards. Listed for the project leader; nothing is changed. One query."""
    measures = (
        Measure.objects.filter(archived_at__isnull=True)
        .select_related("focus_area__programme", "responsible")
        .order_by("focus_area__order", "focus_area__name", "title")
    )
    rows = (measure_attention(m, today=today) for m in measures)
    return [row for row in rows if row.rule_errors]


def pending_decisions() -> QuerySet[Decision]:
    """What waits for the steering group («Til beslutning»): the pending decisions of measures
    that are not archived, the oldest request first, with their measure. One query."""
    return (
        Decision.objects.pending()
        .filter(measure__archived_at__isnull=True)
        .select_related("measure__focus_area")
        .order_by("requested_at", "pk")
    )
