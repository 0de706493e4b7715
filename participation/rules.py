"""Who may read and decide on public input: the project leader, and a measure owner for the
measures they are responsible for or co-own. Nobody else sees input that is not approved."""

from __future__ import annotations

from typing import Any

import rules

from measures.rules import owns_measure
from teams.roles import is_measure_owner_role, is_project_leader


@rules.predicate
def owns_input_measure(user: Any, public_input: Any) -> bool:
    """The user owns the measure the input is about (with no input: may moderate some)."""
    if public_input is None:
        return True
    return bool(owns_measure(user, public_input.measure))


may_moderate_input = is_project_leader | (is_measure_owner_role & owns_input_measure)

rules.add_perm("participation", may_moderate_input)
rules.add_perm("participation.view_publicinput", may_moderate_input)
rules.add_perm("participation.moderate_publicinput", may_moderate_input)
rules.add_perm("participation.add_publicinput", rules.always_deny)  # the public form only
rules.add_perm("participation.delete_publicinput", rules.always_deny)  # a record
