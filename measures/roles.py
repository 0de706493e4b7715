"""The three roles of the admin area, as Django groups, and who may do what with a measure.

The groups are created by a data migration with these exact names. They carry no model
permissions of their own: every permission, model- and object-level, is a rule in
`measures/rules.py` and `teams/rules.py`, evaluated on the server for every request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

if TYPE_CHECKING:
    from measures.models import Measure

PROJECT_LEADER = "Prosjektleder"
MEASURE_OWNER = "Tiltaksansvarlig"
STEERING_GROUP = "Styringsgruppe"
ROLES = (PROJECT_LEADER, MEASURE_OWNER, STEERING_GROUP)

is_project_leader: Any = rules.is_group_member(PROJECT_LEADER)
is_measure_owner_role = rules.is_group_member(MEASURE_OWNER)
is_steering_group = rules.is_group_member(STEERING_GROUP)
has_a_role = is_project_leader | is_measure_owner_role | is_steering_group


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def owns_measure(user: Any, measure: Measure | None) -> bool:
    """The user is the measure's responsible person or one of its co-owners.

    With no measure (a model-level question such as «may I change measures at all?») the answer
    is yes, and each measure is then checked on its own.
    """
    if measure is None:
        return True
    if not _active(user):
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    if measure.responsible_id == person.pk:
        return True
    return measure.co_owners.filter(pk=person.pk).exists()


may_update_measure = is_project_leader | (is_measure_owner_role & owns_measure)
