"""What each role sees on Min side (the writes are checked by the measures and reports rules)."""

from __future__ import annotations

import rules

from teams.roles import is_project_leader

# The project leader follows the whole programme: every measure that needs attention, the data
# that breaks a rule, the way into the admin.
rules.add_perm("workspace.follow_programme", is_project_leader)
