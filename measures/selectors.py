"""Reads of the plan that join, annotate or aggregate."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from measures.models import FocusArea, Measure, Programme


def current_programme() -> Programme | None:
    return (
        Programme.objects.select_related("owner")
        .prefetch_related("sub_goals")
        .filter(is_current=True)
        .first()
    )


def focus_area_list(*, programme: Programme) -> QuerySet[FocusArea]:
    """The programme's focus areas, each annotated with `measure_count` (public measures only)."""
    public = Q(measures__is_published=True, measures__archived_at__isnull=True)
    return (
        FocusArea.objects.filter(programme=programme)
        .annotate(measure_count=Count("measures", filter=public))
        .prefetch_related("goals")
        .order_by("order", "name")
    )


def public_measures() -> QuerySet[Measure]:
    return Measure.objects.public()
