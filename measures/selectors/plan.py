"""Reads of the plan that join, annotate or aggregate: distributions, lists, details. Every public
read starts from `.public()`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast, overload

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
    Window,
)

from measures.models import (
    FocusArea,
    Goal,
    Indicator,
    Measure,
    Programme,
    StatusUpdate,
)
from measures.status import PROGRESS_EXCLUDED, STATUS_INFO, Status, StatusInfo, mean_progress
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
        return cls.from_pairs([(m.status, m.progress) for m in measures])

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, int]]) -> Distribution:
        """The same figures computed from the measures' (status, progress)."""
        row: dict[str, Any] = {f"n_{status.name}": 0 for status in Status}
        for status, _progress in pairs:
            row[f"n_{Status(status).name}"] += 1
        row["avg_progress"] = mean_progress(pairs)
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


def current_programme_start() -> dt.date | None:
    """The current programme's start, in one small query (the current-status report's period
    starts there before any report is issued; every download asks)."""
    start: dt.date | None = (
        Programme.objects.filter(is_current=True).values_list("start", flat=True).first()
    )
    return start


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
        "focus_area", "goal", "responsible__organisation", "responsible__municipality"
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


def embed_measure(*, slug: str) -> Measure | None:
    """A public measure with what its small embeddable view shows: the newest status update."""
    return (
        with_list_relations(Measure.objects.public())
        .prefetch_related(
            Prefetch(
                "status_updates",
                queryset=StatusUpdate.objects.order_by("-date", "-created_at", "-id"),
            )
        )
        .filter(slug=slug)
        .first()
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
        .select_related(
            "focus_area__programme",
            "goal",
            "responsible__organisation",
            "responsible__municipality",
        )
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
            "milestones",
            "decisions",
        )
        .filter(slug=slug)
        .first()
    )


def same_goal_measures(*, measure: Measure, limit: int | None = None) -> Part:
    """The other public measures for the measure's goal, by title: the first `limit` (all with
    None) and how many there are, in one query (the count is a window over all of them)."""
    if measure.goal_id is None:
        return Part([], 0)
    others = (
        Measure.objects.public()
        .filter(goal_id=measure.goal_id)
        .exclude(pk=measure.pk)
        .annotate(others_total=Window(Count("pk")))
        .order_by("title")
    )
    shown = list(others[:limit] if limit is not None else others)
    total: int = cast(Any, shown[0]).others_total if shown else 0  # the annotation above
    return Part(shown, total)


class Part(Sequence[Measure]):
    """One part of a municipality's measures: as long as the part (`len`), holding only the first
    `limit` measures, which are what iterating or slicing gives (a page shows those and says how
    many there are in all)."""

    def __init__(self, shown: list[Measure], total: int) -> None:
        self.shown = shown
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[Measure]:
        return iter(self.shown)

    @overload
    def __getitem__(self, index: int) -> Measure: ...
    @overload
    def __getitem__(self, index: slice) -> list[Measure]: ...
    def __getitem__(self, index: int | slice) -> Measure | list[Measure]:
        return self.shown[index]


def _parts(ids: dict[Any, list[int]], limit: int | None) -> dict[Any, Part]:
    """Parts of measures from their ids in order, each holding its first `limit` (all with None)
    loaded with what a card shows: two queries for them all."""
    shown = {key: pks[:limit] for key, pks in ids.items()}
    wanted = [pk for pks in shown.values() for pk in pks]
    loaded = (
        {m.pk: m for m in with_list_relations(Measure.objects.filter(pk__in=wanted))}
        if wanted
        else {}
    )
    return {key: Part([loaded[pk] for pk in pks], len(ids[key])) for key, pks in shown.items()}


@dataclass
class FocusAreaDetail:
    area: FocusArea
    goals: list[tuple[Goal, Part]]
    measures_without_goal: Part
    distribution: Distribution


def focus_area_detail(*, slug: str, limit: int | None = None) -> FocusAreaDetail | None:
    """A focus area with its goals, each goal's public measures (by title, the first `limit`
    loaded, see `Part`), the distribution of them all, and its indicators: a constant number of
    queries however many measures there are."""
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
    rows = (
        Measure.objects.public()
        .filter(focus_area=area)
        .order_by("title", "pk")
        .values_list("pk", "goal_id", "status", "progress")
    )
    by_goal: dict[int | None, list[int]] = {goal.pk: [] for goal in area.goals.all()}
    by_goal[None] = []
    pairs = []
    for pk, goal_id, status, progress in rows:
        by_goal.setdefault(goal_id, []).append(pk)
        pairs.append((status, progress))
    parts = _parts(by_goal, limit)
    return FocusAreaDetail(
        area=area,
        goals=[(goal, parts[goal.pk]) for goal in area.goals.all()],
        measures_without_goal=parts[None],
        distribution=Distribution.from_pairs(pairs),
    )


def latest_status_update_date(*, measure: Measure) -> dt.date | None:
    """The date of the measure's newest status update; no update may be dated before it."""
    return measure.status_updates.order_by("-date").values_list("date", flat=True).first()
