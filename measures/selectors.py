"""Reads of the plan that join, annotate or aggregate. Every public read starts from `.public()`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import (
    STALE_DAYS,
    FocusArea,
    Goal,
    Indicator,
    Measure,
    Programme,
    StatusUpdate,
    measure_is_stale,
)
from measures.status import PROGRESS_EXCLUDED, STATUS_INFO, Status, StatusInfo, mean_progress
from measures.validation import measure_consistency_errors
from teams.models import Municipality

if TYPE_CHECKING:
    from measures.filters import MeasureFilters

STATUS_ORDER = list(Status)


@dataclass
class StatusCount:
    info: StatusInfo
    count: int
    share: float  # 0–100, of the total

    @property
    def status(self) -> Status:
        return self.info.status


@dataclass
class Distribution:
    """How many measures have each status, with their average progress."""

    counts: list[StatusCount] = field(default_factory=list)
    total: int = 0
    progress: int | None = None  # mean progress of the measures that are not stopped

    @classmethod
    def from_row(cls, row: dict[str, Any], prefix: str = "") -> Distribution:
        counts_by_status = {
            status: int(row.get(f"{prefix}n_{status.name}") or 0) for status in Status
        }
        total = sum(counts_by_status.values())
        average = row.get(f"{prefix}avg_progress")
        return cls(
            counts=[
                StatusCount(
                    info=STATUS_INFO[status],
                    count=count,
                    share=round(100 * count / total, 1) if total else 0.0,
                )
                for status, count in counts_by_status.items()
            ],
            total=total,
            progress=round(Decimal(average)) if average is not None else None,
        )

    @classmethod
    def from_measures(cls, measures: list[Measure]) -> Distribution:
        """The same figures computed from measures already loaded."""
        row: dict[str, Any] = {f"n_{status.name}": 0 for status in Status}
        for measure in measures:
            row[f"n_{Status(measure.status).name}"] += 1
        row["avg_progress"] = mean_progress((m.status, m.progress) for m in measures)
        return cls.from_row(row)

    @property
    def nonzero(self) -> list[StatusCount]:
        return [c for c in self.counts if c.count]

    @property
    def segments(self) -> list[tuple[StatusCount, float, float]]:
        """(count, x, width) for a stacked bar 100 units wide."""
        result = []
        x = 0.0
        for c in self.nonzero:
            width = 100 * c.count / self.total
            result.append((c, round(x, 3), round(width, 3)))
            x += width
        return result


def distribution_annotations(prefix: str = "", path: str = "") -> dict[str, Any]:
    """Aggregates for a status distribution; `path` leads from the queried model to measures."""
    lookup = f"{path}__" if path else ""
    public = Q(**{f"{lookup}is_published": True, f"{lookup}archived_at__isnull": True})
    annotations: dict[str, Any] = {
        f"{prefix}n_{status.name}": Count(
            f"{lookup}id" if path else "id",
            filter=public & Q(**{f"{lookup}status": status}),
            distinct=bool(path),
        )
        for status in Status
    }
    annotations[f"{prefix}avg_progress"] = Avg(
        f"{lookup}progress", filter=public & ~Q(**{f"{lookup}status__in": PROGRESS_EXCLUDED})
    )
    return annotations


def current_programme() -> Programme | None:
    return (
        Programme.objects.select_related("owner")
        .prefetch_related("sub_goals")
        .filter(is_current=True)
        .first()
    )


def status_distribution(measures: QuerySet[Measure]) -> Distribution:
    """The distribution of an already filtered set of measures, in one query."""
    return Distribution.from_row(measures.aggregate(**distribution_annotations()))


def focus_area_list(*, programme: Programme) -> list[tuple[FocusArea, Distribution]]:
    """The programme's focus areas with their goals and their public measures' distribution."""
    areas = (
        FocusArea.objects.filter(programme=programme)
        .annotate(**distribution_annotations(path="measures"))
        .prefetch_related("goals")
        .order_by("order", "name")
    )
    return [(area, Distribution.from_row(area.__dict__)) for area in areas]


def municipality_list() -> list[tuple[Municipality, Distribution]]:
    municipalities = Municipality.objects.annotate(
        **distribution_annotations(path="measures")
    ).order_by("name")
    return [(m, Distribution.from_row(m.__dict__)) for m in municipalities]


def _status_rank() -> Case:
    return Case(
        *[When(status=status, then=Value(i)) for i, status in enumerate(STATUS_ORDER)],
        output_field=IntegerField(),
    )


SORT_ORDERINGS: dict[str, list[Any]] = {
    "omrade": ["focus_area__order", "focus_area__name", "title"],
    "tittel": ["title"],
    "status": [_status_rank(), "title"],
    "framdrift": ["-progress", "title"],
    "oppdatert": [F("last_status_update_at").desc(nulls_last=True), "title"],
    "frist": [F("planned_end").asc(nulls_last=True), "title"],
}


def with_list_relations(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """What a measure card or export row shows, fetched in a constant number of queries."""
    return measures.select_related(
        "focus_area", "goal", "responsible__organisation"
    ).prefetch_related("municipalities")


def measure_list(*, filters: MeasureFilters) -> QuerySet[Measure]:
    measures = Measure.objects.public()
    if filters.focus_area:
        measures = measures.filter(focus_area=filters.focus_area)
    if filters.municipalities:
        measures = measures.filter(
            id__in=Measure.municipalities.through.objects.filter(
                municipality__in=filters.municipalities
            ).values("measure_id")
        )
    if filters.statuses:
        measures = measures.filter(status__in=filters.statuses)
    if filters.q:
        for word in filters.q.split():
            measures = measures.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(focus_area__name__icontains=word)
            )
    return with_list_relations(measures.order_by(*SORT_ORDERINGS[filters.sort]))


def municipality_measures(*, municipality: Municipality) -> QuerySet[Measure]:
    """The municipality's published measures, the most recently updated first."""
    return (
        Measure.objects.public()
        .filter(municipalities=municipality)
        .select_related("focus_area", "goal")
        .prefetch_related("municipalities")
        .order_by(F("last_status_update_at").desc(nulls_last=True), "title")
    )


def update_list(*, filters: MeasureFilters) -> QuerySet[StatusUpdate]:
    """Status updates of public measures, newest first, filtered like the measure list."""
    measure_ids = measure_list(filters=filters).order_by().values("id")
    return (
        StatusUpdate.objects.filter(measure_id__in=measure_ids)
        .select_related("measure__focus_area")
        .order_by("-date", "-created_at", "-id")
    )


def latest_updates(*, limit: int = 10) -> QuerySet[StatusUpdate]:
    return StatusUpdate.objects.public()[:limit]


def measure_detail(*, slug: str) -> Measure | None:
    indicator_values = Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values"))
    return (
        Measure.objects.public()
        .select_related("focus_area__programme", "goal", "responsible__organisation")
        .prefetch_related(
            "municipalities",
            "partners",
            "co_owners",
            indicator_values,
            Prefetch(
                "status_updates",
                queryset=StatusUpdate.objects.order_by("-date", "-created_at", "-id"),
            ),
            Prefetch(
                "related",
                queryset=Measure.objects.public().select_related("focus_area"),
                to_attr="public_related",
            ),
        )
        .filter(slug=slug)
        .first()
    )


def same_goal_measures(*, measure: Measure) -> QuerySet[Measure]:
    if measure.goal_id is None:
        return Measure.objects.none()
    return (
        Measure.objects.public()
        .filter(goal_id=measure.goal_id)
        .exclude(pk=measure.pk)
        .order_by("title")
    )


@dataclass
class FocusAreaDetail:
    area: FocusArea
    goals: list[tuple[Goal, list[Measure]]]
    measures_without_goal: list[Measure]
    distribution: Distribution


def focus_area_detail(*, slug: str) -> FocusAreaDetail | None:
    """A focus area with its goals, each goal's public measures, and its indicators."""
    area = (
        FocusArea.objects.select_related("programme")
        .prefetch_related(
            "goals",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
        )
        .filter(slug=slug)
        .first()
    )
    if area is None:
        return None
    measures = list(
        with_list_relations(Measure.objects.public().filter(focus_area=area)).order_by("title")
    )
    by_goal: dict[int | None, list[Measure]] = {}
    for measure in measures:
        by_goal.setdefault(measure.goal_id, []).append(measure)
    return FocusAreaDetail(
        area=area,
        goals=[(goal, by_goal.get(goal.pk, [])) for goal in area.goals.all()],
        measures_without_goal=by_goal.get(None, []),
        distribution=Distribution.from_measures(measures),
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
    """Why a measure needs its owner's attention: no update for `STALE_DAYS` days, an expected
    end after the planned end while it runs, a status that breaks a consistency rule."""
    is_stale = measure_is_stale(measure, today=today, days=STALE_DAYS)
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
                _("Ikke oppdatert siden %(date)s (%(days)s dager)")
                % {"date": _day(last), "days": (today - last).days}
            )
    running = measure.status not in (Status.COMPLETED, Status.STOPPED)
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
    measures = (
        Measure.objects.filter(archived_at__isnull=True)
        .filter(Q(responsible=person) | Q(co_owners=person))
        .select_related("focus_area")
        .annotate(indicator_count=Count("indicators", distinct=True))
        .distinct()
        .order_by("title")
    )
    return _attention_first([measure_attention(m, today=today) for m in measures])


@dataclass
class AreaAttention:
    area: FocusArea
    rows: list[OwnMeasure]


def programme_attention(*, today: dt.date) -> list[AreaAttention]:
    """Every measure of the current programme (drafts too, not archived) that needs attention,
    grouped by focus area in the plan's order. One query."""
    measures = (
        Measure.objects.filter(archived_at__isnull=True, focus_area__programme__is_current=True)
        .select_related("focus_area", "responsible")
        .order_by("focus_area__order", "focus_area__name", "title")
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
        .select_related("focus_area", "responsible")
        .order_by("focus_area__order", "focus_area__name", "title")
    )
    rows = (measure_attention(m, today=today) for m in measures)
    return [row for row in rows if row.rule_errors]


def latest_status_update_date(*, measure: Measure) -> dt.date | None:
    """The date of the measure's newest status update; no update may be dated before it."""
    return measure.status_updates.order_by("-date").values_list("date", flat=True).first()
