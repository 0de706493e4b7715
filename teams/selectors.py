"""Reads of municipalities, people and the programme's bodies."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from teams.models import Body, BodyKind, Membership, Municipality, Person


def municipality_detail(*, slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


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


def display_name(user: Any) -> str:
    """How a logged-in user is named on the pages and in the records: the name of the person the
    login belongs to, else the user's full name, else the username; empty for nobody."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    person = getattr(user, "person", None)
    if person is not None:
        return str(person.name)
    return str(user.get_full_name() or user.get_username())
