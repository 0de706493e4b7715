"""«Trenger oppmerksomhet»: what the public should know is behind, from one selector.

Each kind of thing that can be behind is a source in ATTENTION_SOURCES with its reasons in
AttentionReason; the home page shows whatever `needs_attention` returns: measures behind plan,
late milestones, decisions the steering group has yet to make. Only public measures that still
run: a completed or stopped measure is never listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Window
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import Decision, Measure, Milestone
from measures.status import Status


class AttentionReason(models.TextChoices):
    """Why something is named under «Trenger oppmerksomhet». Each kind of thing is a reason here
    and a source in ATTENTION_SOURCES."""

    DELAYED = "forsinket", _("Forsinket")
    PAST_DEADLINE = "frist-passert", _("Planlagt slutt er passert")
    LATE_MILESTONE = "milepael-forsinket", _("Milepæl forsinket")
    DECISION_PENDING = "trenger-beslutning", _("Trenger beslutning")


@dataclass(frozen=True)
class AttentionItem:
    reason: AttentionReason
    title: str
    url: str
    measure: Measure | None = None  # the measure it is, or belongs to
    due: dt.date | None = None  # the date that is or will be missed, for the order
    detail: str = ""  # what of the measure: the late milestone's title, the decision's question


@dataclass
class Attention:
    items: list[AttentionItem]
    total: int


@dataclass
class SourceItems:
    """What one source found: at most the number asked for, the first in the order shown, and
    how many there are in all."""

    items: list[AttentionItem]
    total: int


def _running() -> QuerySet[Measure]:
    return Measure.objects.public().exclude(status__in=[Status.COMPLETED, Status.STOPPED])


def _first(queryset: QuerySet[Any], limit: int | None) -> tuple[list[Any], int]:
    """The first `limit` of an ordered queryset and how many there are, in one query: each row
    carries the count of all of them (a window over the whole result, taken before the limit)."""
    counted = queryset.annotate(attention_total=Window(Count("pk")))
    first = list(counted[:limit] if limit is not None else counted)
    return first, (first[0].attention_total if first else 0)


def _delayed_measures(today: dt.date, limit: int | None) -> SourceItems:
    """Running measures that are behind: said to be delayed, expected after their planned end, or
    past it without being completed or stopped. Two queries however many there are: the count,
    and the first `limit` by planned end (none last) and title."""
    measures, total = _first(
        _running()
        .filter(
            Q(status=Status.DELAYED)
            | Q(forecast_end__gt=F("planned_end"))
            | Q(planned_end__lt=today)
        )
        .order_by(F("planned_end").asc(nulls_last=True), "title", "pk"),
        limit,
    )
    items = []
    for measure in measures:
        behind = measure.status == Status.DELAYED or measure.is_delayed
        items.append(
            AttentionItem(
                reason=AttentionReason.DELAYED if behind else AttentionReason.PAST_DEADLINE,
                title=measure.title,
                url=measure.get_absolute_url(),
                measure=measure,
                due=measure.planned_end,
            )
        )
    return SourceItems(items=items, total=total)


def _late_milestones(today: dt.date, limit: int | None) -> SourceItems:
    """Milestones of running public measures whose due date has passed without being reached,
    each with its due date, the longest overdue first."""
    milestones, total = _first(
        Milestone.objects.late(today)
        .filter(measure__in=_running())
        .select_related("measure")
        .order_by("due_date", "pk"),
        limit,
    )
    items = [
        AttentionItem(
            reason=AttentionReason.LATE_MILESTONE,
            title=milestone.measure.title,
            url=f"{milestone.measure.get_absolute_url()}#milepaeler",
            measure=milestone.measure,
            due=milestone.due_date,
            detail=milestone.title,
        )
        for milestone in milestones
    ]
    return SourceItems(items=items, total=total)


def _pending_decisions(today: dt.date, limit: int | None) -> SourceItems:
    """Questions for the steering group about running public measures, not yet decided, dated
    the day they were asked."""
    decisions, total = _first(
        Decision.objects.pending()
        .filter(measure__in=_running())
        .select_related("measure")
        .order_by("requested_at", "pk"),
        limit,
    )
    items = [
        AttentionItem(
            reason=AttentionReason.DECISION_PENDING,
            title=decision.measure.title,
            url=decision.measure.get_absolute_url(),
            measure=decision.measure,
            due=timezone.localdate(decision.requested_at),
            detail=decision.question,
        )
        for decision in decisions
    ]
    return SourceItems(items=items, total=total)


# Each source gives one kind of thing that needs attention: its first `limit` in the order of
# `needs_attention`, and its total, in a constant number of queries.
ATTENTION_SOURCES: list[Callable[[dt.date, int | None], SourceItems]] = [
    _delayed_measures,
    _late_milestones,
    _pending_decisions,
]


def needs_attention(*, today: dt.date, limit: int | None = None) -> Attention:
    """What the public should know is behind, the most overdue first: from every source in
    ATTENTION_SOURCES, at most `limit` of them, with the total."""
    found = [source(today, limit) for source in ATTENTION_SOURCES]
    items = [item for source in found for item in source.items]
    items.sort(key=lambda item: (item.due or dt.date.max, item.title))
    return Attention(
        items=items[:limit] if limit is not None else items,
        total=sum(source.total for source in found),
    )
