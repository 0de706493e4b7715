"""Reads of public input: what the public sees of a measure, and what waits for a moderator."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from participation.models import InputState, PublicInput
from teams.roles import is_measure_owner_role, is_project_leader

# How many approved inputs a measure page shows; the feed has the same.
PUBLIC_LIMIT = 50


def public_inputs(*, measure_id: int) -> QuerySet[PublicInput]:
    """A measure's approved input, newest first (one query; nothing of the sender but the name)."""
    return (
        PublicInput.objects.public()
        .filter(measure_id=measure_id)
        .only(
            "pk", "measure_id", "text", "name", "created_at", "answer", "answered_at", "decided_at"
        )
        .order_by("-created_at", "-id")[:PUBLIC_LIMIT]
    )


def moderated_inputs(*, user: Any) -> QuerySet[PublicInput]:
    """The input this user may decide on: every measure's for the project leader, the measures
    they are responsible for or co-own for a measure owner, none for anyone else. New first."""
    inputs = PublicInput.objects.select_related("measure", "decided_by", "answered_by")
    if is_project_leader(user):
        pass
    elif is_measure_owner_role(user) and getattr(user, "person", None) is not None:
        person = user.person
        inputs = inputs.filter(
            Q(measure__responsible=person) | Q(measure__co_owners=person)
        ).distinct()
    else:
        return inputs.none()
    return inputs.order_by("-state", "-created_at", "-id")


def new_input_count(*, user: Any) -> int:
    """How many inputs wait for this user's decision (Min side's front page)."""
    return moderated_inputs(user=user).filter(state=InputState.NEW).count()
