"""Permissions of the plan's models, per role (the roles are in teams/roles.py)."""

from __future__ import annotations

from typing import Any

import rules

from measures.models import Measure
from teams.roles import (
    has_a_role,
    is_active_user,
    is_measure_owner_role,
    is_project_leader,
    is_steering_group,
)


@rules.predicate
def owns_measure(user: Any, measure: Measure | None) -> bool:
    """The user is the measure's responsible person or one of its co-owners.

    With no measure (a model-level question such as «may I change measures at all?») the answer
    is yes, and each measure is then checked on its own.
    """
    if measure is None:
        return True
    if not is_active_user(user):
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    if measure.responsible_id == person.pk:
        return True
    return measure.co_owners.filter(pk=person.pk).exists()


may_update_measure = is_project_leader | (is_measure_owner_role & owns_measure)


@rules.predicate
def owns_indicator_measure(user: Any, indicator: Any) -> bool:
    if indicator is None:
        return True
    measure = getattr(indicator, "measure", None)
    if measure is None:  # a focus area's indicator belongs to the plan
        return False
    return bool(owns_measure(user, measure))


@rules.predicate
def owns_value_measure(user: Any, value_or_indicator: Any) -> bool:
    """For a value, or for the indicator whose values an inline edits."""
    if value_or_indicator is None:
        return True
    indicator = getattr(value_or_indicator, "indicator", value_or_indicator)
    return bool(owns_indicator_measure(user, indicator))


@rules.predicate
def owns_milestone_measure(user: Any, milestone_or_measure: Any) -> bool:
    """For a milestone or a decision (or the measure a new one is added to): the user owns its
    measure."""
    if milestone_or_measure is None:
        return True
    measure = getattr(milestone_or_measure, "measure", milestone_or_measure)
    return bool(owns_measure(user, measure))


# Milestones (on a milestone, or on the measure for adding one): owners of their own measures,
# the project leader for all.
may_edit_milestones = is_project_leader | (is_measure_owner_role & owns_milestone_measure)
# Asking the steering group for a decision about a measure: the same people.
may_request_decision = may_edit_milestones
# Recording the steering group's decision: the project leader and the steering group's members.
may_record_decision = is_project_leader | is_steering_group


rules.add_perm("measures", has_a_role)

PLAN_MODELS = ("programme", "subgoal", "focusarea", "goal")
for model in PLAN_MODELS:
    rules.add_perm(f"measures.view_{model}", has_a_role)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"measures.{action}_{model}", is_project_leader)

rules.add_perm("measures.view_measure", has_a_role)
rules.add_perm("measures.add_measure", is_project_leader)
rules.add_perm("measures.change_measure", may_update_measure)
rules.add_perm("measures.delete_measure", is_project_leader)  # deleting archives
rules.add_perm("measures.publish_measure", is_project_leader)
rules.add_perm("measures.import_measure", is_project_leader)
rules.add_perm("measures.update_status_measure", may_update_measure)
rules.add_perm("measures.edit_plan_measure", is_project_leader)
# The description («Om tiltaket») is the owner's own account of the measure; the rest of the plan
# is the project leader's.
rules.add_perm("measures.edit_description_measure", may_update_measure)

rules.add_perm("measures.view_statusupdate", has_a_role)
rules.add_perm("measures.add_statusupdate", may_update_measure)
rules.add_perm("measures.change_statusupdate", rules.always_deny)  # the timeline is a record
rules.add_perm("measures.delete_statusupdate", rules.always_deny)

rules.add_perm("measures.view_indicator", has_a_role)
rules.add_perm("measures.add_indicator", is_project_leader)
rules.add_perm(
    "measures.change_indicator",
    is_project_leader | (is_measure_owner_role & owns_indicator_measure),
)
rules.add_perm("measures.delete_indicator", is_project_leader)

rules.add_perm("measures.view_indicatorvalue", has_a_role)
for action in ("add", "change", "delete"):
    rules.add_perm(
        f"measures.{action}_indicatorvalue",
        is_project_leader | (is_measure_owner_role & owns_value_measure),
    )

rules.add_perm("measures.view_milestone", has_a_role)
for action in ("add", "change", "delete"):
    rules.add_perm(f"measures.{action}_milestone", may_edit_milestones)

rules.add_perm("measures.view_decision", has_a_role)
rules.add_perm("measures.add_decision", may_request_decision)
rules.add_perm("measures.record_decision", may_record_decision)
rules.add_perm("measures.change_decision", may_record_decision)
rules.add_perm("measures.delete_decision", is_project_leader)
