"""A measure's milestones told apart (done, late, coming) and its public timeline (status
updates and recorded decisions together). Both work on what `measure_detail` prefetched: no
query of their own, however many milestones or decisions a measure has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from measures.models import Decision, Measure, Milestone, MilestoneState, StatusUpdate


@dataclass
class MilestoneGroups:
    """Late first (the most overdue first), then coming (the nearest first), then done (the
    latest first)."""

    late: list[Milestone] = field(default_factory=list)
    coming: list[Milestone] = field(default_factory=list)
    done: list[Milestone] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.late or self.coming or self.done)


def milestone_groups(milestones: list[Milestone], *, today: dt.date) -> MilestoneGroups:
    groups = MilestoneGroups()
    for milestone in milestones:
        match milestone.state(today):
            case MilestoneState.LATE:
                groups.late.append(milestone)
            case MilestoneState.COMING:
                groups.coming.append(milestone)
            case MilestoneState.DONE:
                groups.done.append(milestone)
    groups.late.sort(key=lambda m: (m.due_date, m.order, m.pk))
    groups.coming.sort(key=lambda m: (m.due_date, m.order, m.pk))
    groups.done.sort(key=lambda m: (m.completed_on or m.due_date, m.pk), reverse=True)
    return groups


@dataclass(frozen=True)
class TimelineEntry:
    kind: Literal["update", "decision"]
    date: dt.date
    item: StatusUpdate | Decision


def measure_timeline(measure: Measure) -> list[TimelineEntry]:
    """The status updates and the recorded decisions of a measure, newest first; on one day a
    decision comes before the updates (it is usually what the update then follows)."""
    entries = [TimelineEntry("update", u.date, u) for u in measure.status_updates.all()]
    entries += [
        TimelineEntry("decision", d.decided_on, d)
        for d in measure.decisions.all()
        if d.decided_on is not None
    ]
    # Stable: the updates keep their own order (newest first) within a day.
    entries.sort(key=lambda e: (e.date, e.kind == "decision"), reverse=True)
    return entries
