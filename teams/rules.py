"""Permissions of municipalities, organisations, people and bodies, per role; and of the portal's
content revision (`drivkraft.core`), which knows no roles itself."""

from __future__ import annotations

import rules

from teams.roles import has_a_role, is_project_leader

rules.add_perm("teams", has_a_role)
for model in ("municipality", "organisation", "person", "body", "membership"):
    rules.add_perm(f"teams.view_{model}", has_a_role)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"teams.{action}_{model}", is_project_leader)

rules.add_perm("core", is_project_leader)
# The admin is the project leaders' back office (drivkraft/core/admin_site.py); the other roles
# work on Min side.
rules.add_perm("core.use_admin", is_project_leader)
rules.add_perm("core.view_contentrevision", is_project_leader)
