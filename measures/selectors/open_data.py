"""The reads behind the open data (measures/open_data.py): only what belongs to public measures."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from measures.models import Indicator, IndicatorValue, Measure, Milestone, StatusUpdate


def open_status_updates() -> QuerySet[StatusUpdate]:
    """Every status update of the public measures, for the open data: by measure, oldest first."""
    return (
        StatusUpdate.objects.filter(measure__in=Measure.objects.public())
        .select_related("measure")
        .order_by("measure__slug", "date", "created_at", "id")
    )


def open_indicators() -> QuerySet[Indicator]:
    """The indicators of the public measures and of the focus areas, for the open data."""
    return (
        Indicator.objects.filter(
            Q(measure__in=Measure.objects.public()) | Q(focus_area__isnull=False)
        )
        .select_related("measure", "focus_area")
        .order_by("id")
    )


def open_indicator_values() -> QuerySet[IndicatorValue]:
    """The measured values of the open indicators."""
    return IndicatorValue.objects.filter(indicator__in=open_indicators().order_by()).order_by(
        "indicator_id", "date"
    )


def open_milestones() -> QuerySet[Milestone]:
    """The milestones of the public measures, for the open data: by measure, in their order."""
    return (
        Milestone.objects.on_public_measures()
        .select_related("measure")
        .order_by("measure__slug", "order", "due_date", "id")
    )
