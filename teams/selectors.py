"""Reads of municipalities, people and the programme's bodies."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from measures.models import Measure
from teams.models import Body, BodyKind, Membership, Municipality, Person


def municipality_detail(*, slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def municipality_measures(*, municipality: Municipality) -> QuerySet[Measure]:
    """The municipality's published measures, the most recently updated first."""
    return (
        Measure.objects.public()
        .filter(municipalities=municipality)
        .select_related("focus_area", "goal")
        .prefetch_related("municipalities")
        .order_by(F("last_status_update_at").desc(nulls_last=True), "title")
    )


def business_team_members(*, municipality: Municipality | None = None) -> QuerySet[Person]:
    """People in the business team (næringsteamet), optionally those of one municipality."""
    people = Person.objects.filter(memberships__body__kind=BodyKind.BUSINESS_TEAM).select_related(
        "organisation", "municipality"
    )
    if municipality is not None:
        people = people.filter(municipality=municipality)
    return people.distinct().order_by("name")


def body_list() -> QuerySet[Body]:
    memberships = Membership.objects.select_related(
        "person__organisation", "person__municipality"
    ).order_by("order", "person__name")
    return Body.objects.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by(
        "order", "name"
    )
