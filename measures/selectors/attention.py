"""«Trenger oppmerksomhet»: what the public should know is behind, from one selector.

Each kind of thing that can be behind is a source in ATTENTION_SOURCES with its reasons in
AttentionReason; the home page shows whatever `needs_attention` returns. Late milestones and
pending decisions will be more sources here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from measures.models import Measure
from measures.status import Status


class AttentionReason(models.TextChoices):
    """Why something is named under «Trenger oppmerksomhet». A new kind of thing (late milestones,
    decisions pending) is a reason here and a source in ATTENTION_SOURCES."""

    DELAYED = "forsinket", _("Forsinket")
    PAST_DEADLINE = "frist-passert", _("Planlagt slutt er passert")


@dataclass(frozen=True)
class AttentionItem:
    reason: AttentionReason
    title: str
    url: str
    measure: Measure | None = None  # the measure it is, or belongs to
    due: dt.date | None = None  # the date that is or will be missed, for the order


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


def _delayed_measures(today: dt.date, limit: int | None) -> SourceItems:
    """Running measures that are behind: said to be delayed, expected after their planned end, or
    past it without being completed or stopped. Two queries however many there are: the count,
    and the first `limit` by planned end (none last) and title."""
    running = Measure.objects.public().exclude(status__in=[Status.COMPLETED, Status.STOPPED])
    measures = running.filter(
        Q(status=Status.DELAYED) | Q(forecast_end__gt=F("planned_end")) | Q(planned_end__lt=today)
    ).order_by(F("planned_end").asc(nulls_last=True), "title", "pk")
    total = measures.count()
    items = []
    for measure in measures[:limit] if limit is not None else measures:
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


# Each source gives one kind of thing that needs attention: its first `limit` in the order of
# `needs_attention`, and its total, in a constant number of queries.
ATTENTION_SOURCES: list[Callable[[dt.date, int | None], SourceItems]] = [_delayed_measures]


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
