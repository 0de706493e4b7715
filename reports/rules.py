"""Who may read and issue steering-group reports."""

from __future__ import annotations

import rules

from teams.roles import is_project_leader, is_steering_group

may_read_reports = is_project_leader | is_steering_group

rules.add_perm("reports", may_read_reports)
rules.add_perm("reports.view_report", may_read_reports)
rules.add_perm("reports.issue_report", is_project_leader)
rules.add_perm("reports.add_report", is_project_leader)
rules.add_perm("reports.change_report", rules.always_deny)  # an issued report is a record
rules.add_perm("reports.delete_report", rules.always_deny)
