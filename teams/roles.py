"""The three roles of the portal, as Django groups, and the predicates that test them.

The groups are created by a data migration with these exact names. They carry no model
permissions of their own: every permission, model- and object-level, is a rule in the apps'
`rules.py`, evaluated on the server for every request. Roles are about people and the bodies they
sit in, so they live here, in the lowest domain app; `measures` adds what a role may do with a
measure (`measures.rules.owns_measure`).
"""

from __future__ import annotations

from typing import Any

import rules

PROJECT_LEADER = "Prosjektleder"
MEASURE_OWNER = "Tiltaksansvarlig"
STEERING_GROUP = "Styringsgruppe"
ROLES = (PROJECT_LEADER, MEASURE_OWNER, STEERING_GROUP)

is_project_leader = rules.is_group_member(PROJECT_LEADER)
is_measure_owner_role = rules.is_group_member(MEASURE_OWNER)
is_steering_group = rules.is_group_member(STEERING_GROUP)
has_a_role = is_project_leader | is_measure_owner_role | is_steering_group


def is_active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)
