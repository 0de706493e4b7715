"""What both layouts show: the cover, the summary, the focus areas' headings, the indicators and
the municipalities, as plain preformatted values.

The templates only place these values, so rendering stays cheap and every number and date reads
the same way throughout a report. Call everything here in Norwegian (`translation.override`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures.models import stale_age_text
from measures.status import Status
from reports.charts import (
    distribution_chart,
)
from reports.pdf import AUTHOR
from reports.schema import (
    ChangeData,
    DistributionData,
    FocusAreaData,
    Snapshot,
)


@dataclass(frozen=True)
class StatusView:
    value: str
    label: str
    symbol: str
    colour: str


@dataclass(frozen=True)
class StatusCount:
    status: StatusView
    count: int


@dataclass(frozen=True)
class Distribution:
    total: int
    counts: list[StatusCount]  # every status, zeros included: one table column each
    progress: str

    @property
    def nonzero(self) -> list[StatusCount]:
        return [c for c in self.counts if c.count]


@dataclass(frozen=True)
class MeasureView:
    """A measure in full (the full layout)."""

    title: str
    status: StatusView
    status_line: str
    details: str
    brief: str  # who answers for it and when it was last updated
    reasons: str


@dataclass(frozen=True)
class GoalGroup:
    title: str
    measures: list[MeasureView]


@dataclass(frozen=True)
class MeasureLine:
    """A measure in one line: its flag (⚑ when it needs attention), title and the rest."""

    flag: str
    title: str
    rest: str

    def __str__(self) -> str:
        return f"{self.flag}{self.title} · {self.rest}"


@dataclass(frozen=True)
class StatusGroup:
    """The compact layout's measures of one status in a focus area, one line each."""

    status: StatusView
    rows: list[MeasureLine]

    @property
    def lines(self) -> list[str]:
        return [str(row) for row in self.rows]

    @property
    def text(self) -> str:
        # One block of lines (laid out with `white-space: pre-line`): far cheaper for WeasyPrint
        # than a block per measure.
        return "\n".join(self.lines)


@dataclass(frozen=True)
class FocusAreaView:
    name: str
    anchor: str
    distribution: Distribution
    summary: str
    goals: list[GoalGroup] = field(default_factory=list)  # the full layout's
    by_status: list[StatusGroup] = field(default_factory=list)  # the compact layout's


@dataclass(frozen=True)
class ChangeView:
    date: str
    measure: str
    change: str  # from → to, and what else the layout tells of it
    comment: str = ""  # the compact layout's (the full one has it in `change`)


@dataclass(frozen=True)
class SubGoalView:
    number: int
    title: str
    status: StatusView | None
    assessment: str


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    if "T" in value:
        return dt.datetime.fromisoformat(value).date()
    return dt.date.fromisoformat(value)


def short_date(value: str | None) -> str:
    """An ISO date (or date-time) as 01.03.2022; empty for none."""
    day = _date(value)
    return formats.date_format(day, "d.m.Y") if day else ""


def long_date(value: str | None) -> str:
    """An ISO date (or date-time) as 1. mars 2022; empty for none."""
    day = _date(value)
    return formats.date_format(day, "j. F Y") if day else ""


def month(value: str | None) -> str:
    """An ISO date (or date-time) as 03.2022; empty for none."""
    day = _date(value)
    return formats.date_format(day, "m.Y") if day else ""


def joined(parts: Iterable[str]) -> str:
    """The non-empty parts, joined by middle dots."""
    return " · ".join(part for part in parts if part)


def status_views(snapshot: Snapshot) -> dict[str, StatusView]:
    """The snapshot's status vocabulary by value, in its order. Under labels in another language
    than Norwegian, a status the code knows gets its label in that language."""
    translate = translation.get_language() != "nb"
    return {
        s["value"]: StatusView(
            value=s["value"],
            label=str(Status(s["value"]).label)
            if translate and s["value"] in Status.values
            else s["label"],
            symbol=s["symbol"],
            colour=s["colour"],
        )
        for s in snapshot["statuses"]
    }


def status_view(value: str, statuses: dict[str, StatusView]) -> StatusView:
    """The status `value`; one the vocabulary lacks is shown by its value, in grey."""
    if value in statuses:
        return statuses[value]
    return StatusView(value=value, label=value, symbol="?", colour="#4a5560")


def distribution(data: DistributionData, statuses: dict[str, StatusView]) -> Distribution:
    by_status = data["by_status"]
    progress = data["progress"]
    return Distribution(
        total=data["total"],
        counts=[StatusCount(status, by_status.get(value, 0)) for value, status in statuses.items()],
        progress="–" if progress is None else f"{progress}\u00a0%",
    )


def focus_area_view(
    area: FocusAreaData,
    index: int,
    statuses: dict[str, StatusView],
    *,
    goals: list[GoalGroup] | None = None,
    by_status: list[StatusGroup] | None = None,
) -> FocusAreaView:
    """The focus area's heading (anchored `omrade-<index>`) and summary, with what the layout
    shows of its measures."""
    counted = distribution(area["distribution"], statuses)
    return FocusAreaView(
        name=area["name"],
        anchor=f"omrade-{index}",
        distribution=counted,
        summary=joined(
            [
                _("%(count)s tiltak") % {"count": counted.total},
                *(f"{c.status.symbol} {c.count} {c.status.label.lower()}" for c in counted.nonzero),
                _("gjennomsnittlig framdrift %(progress)s") % {"progress": counted.progress},
            ]
        ),
        goals=goals or [],
        by_status=by_status or [],
    )


def focus_area_of_measures(snapshot: Snapshot) -> dict[str, str]:
    """The name of each listed measure's focus area, by the measure's slug."""
    return {m["slug"]: area["name"] for area in snapshot["focus_areas"] for m in area["measures"]}


def change_text(change: ChangeData, statuses: dict[str, StatusView]) -> str:
    """«◐ Under arbeid etter plan → ! Forsinket»."""
    before = status_view(change["from"], statuses)
    after = status_view(change["to"], statuses)
    return f"{before.symbol} {before.label} → {after.symbol} {after.label}"


def municipality_distributions(
    snapshot: Snapshot, statuses: dict[str, StatusView]
) -> list[tuple[str, Distribution]]:
    """Each municipality's measures by status (a measure counts in each of its municipalities)."""
    return [
        (m["name"], distribution(m["distribution"], statuses)) for m in snapshot["municipalities"]
    ]


def shared_context(
    snapshot: Snapshot,
    statuses: dict[str, StatusView],
    *,
    focus_areas: list[FocusAreaView],
    municipalities: list[tuple[str, Distribution]],
) -> dict[str, object]:
    """What both templates show: the head, the cover, the summary, the sub-goals, the focus
    areas and the municipalities."""
    programme = snapshot["programme"]
    period = snapshot["period"]
    figures = snapshot["figures"]
    return {
        "title": snapshot["title"],
        "author": AUTHOR,
        "programme": programme,
        "scope": snapshot["scope"],
        "period_start": long_date(period["start"]),
        "period_end": long_date(period["end"]),
        "generated": long_date(snapshot["generated_at"]),
        "generated_at": snapshot["generated_at"],
        "stale_days": snapshot["stale_days"],
        "statuses": list(statuses.values()),
        "figures": figures,
        "distribution": distribution(figures, statuses),
        "area_chart": distribution_chart(
            [
                (a["name"], a["distribution"]["by_status"])
                for a in snapshot["focus_areas"]
                if a["distribution"]["total"]
            ],
            snapshot["statuses"],
        ),
        "sub_goals": [
            SubGoalView(
                number=g["number"],
                title=g["title"],
                status=status_view(g["status"], statuses) if g["status"] else None,
                assessment=g["assessment"] or "",
            )
            for g in programme["sub_goals"]
        ],
        "change_count": len(snapshot["changes"]),
        "attention_count": len(snapshot["attention"]),
        "focus_areas": focus_areas,
        "charted_areas": [a for a in focus_areas if a.distribution.total],
        "municipalities": municipalities,
        "page_one": page_one(snapshot, statuses),
    }


# --- Page 1: «Til styringsgruppen» ---------------------------------------------------------------


@dataclass(frozen=True)
class DecisionView:
    measure: str
    question: str
    requested: str  # «Meldt 1. desember 2026 av Kari Nordmann»


@dataclass(frozen=True)
class EventRow:
    measure: str
    change: str  # «Forsinket (var Under arbeid etter plan)»
    date: str


@dataclass(frozen=True)
class MoveRow:
    measure: str
    before: str
    after: str
    moved: str  # «106 dager senere»


@dataclass(frozen=True)
class MilestoneRow:
    measure: str
    title: str
    due: str
    late: str  # «12 dager»


@dataclass(frozen=True)
class StaleRow:
    measure: str
    details: str  # «Kari Nordmann · Sist oppdatert 12.03.2021 (for 4 år siden)»


@dataclass(frozen=True)
class PageOne:
    """What the steering group is asked to act on, before anything else in the report."""

    decisions: list[DecisionView]
    compared: str  # what «Endringer siden forrige rapport» compares with, or why it cannot
    events: list[EventRow]  # new delays, completed and stopped, by date
    moves: list[MoveRow]
    late_milestones: list[MilestoneRow]
    stale: list[StaleRow]
    has_comparison: bool

    @property
    def change_count(self) -> int:
        return len(self.events) + len(self.moves)

    @property
    def stale_text(self) -> str:
        return "\n".join(f"{row.measure} · {row.details}" for row in self.stale)


def _days(count: int) -> str:
    return ngettext("%(count)s dag", "%(count)s dager", count) % {"count": count}


def moved_text(days: int) -> str:
    """«106 dager senere» / «3 dager tidligere»."""
    if days >= 0:
        return _("%(days)s senere") % {"days": _days(days)}
    return _("%(days)s tidligere") % {"days": _days(-days)}


def age_text(since: str | None, today: str) -> str:
    """How long before the snapshot's day `since` was, in the words of
    `measures.models.stale_age_text` («for 4 år siden», «for 95 dager siden»)."""
    start, end = _date(since), _date(today)
    if start is None or end is None:
        return ""
    return stale_age_text(start, end)


def page_one(snapshot: Snapshot, statuses: dict[str, StatusView]) -> PageOne:
    """Page 1 after the cover: the decisions asked of the steering group, what changed since the
    previous report, the late milestones and the measures not updated within the stale limit
    (running measures only: the snapshot's attention list never holds completed or stopped)."""
    as_of = snapshot["as_of"]
    decisions = [
        DecisionView(
            measure=d["measure"],
            question=d["question"],
            requested=(
                _("Meldt %(date)s av %(name)s")
                % {"date": short_date(d["requested_at"]), "name": d["requested_by"]}
                if d["requested_by"]
                else _("Meldt %(date)s") % {"date": short_date(d["requested_at"])}
            ),
        )
        for d in snapshot["decisions"]
    ]
    since = snapshot["since_previous"]
    events: list[EventRow] = []
    moves: list[MoveRow] = []
    if since is None:
        compared = _(
            "Rapporten ble laget før rapportene ble sammenlignet med den forrige, så endringene "
            "er ikke talt her. Se «Endringer i perioden»."
        )
    elif since["previous"] is None:
        compared = _(
            "Dette er den første rapporten med dette omfanget; det finnes ingen tidligere "
            "rapport å sammenligne med."
        )
    else:
        previous = since["previous"]
        compared = _("Sammenlignet med «%(title)s» (per %(date)s), utstedt %(issued)s.") % {
            "title": previous["title"],
            "date": short_date(previous["period_end"]),
            "issued": short_date(previous["issued_at"]),
        }
        for value, rows in (
            (Status.DELAYED, since["delayed"]),
            (Status.COMPLETED, since["completed"]),
            (Status.STOPPED, since["stopped"]),
        ):
            status = status_view(value, statuses)
            for event in rows:
                was = (
                    _("var %(status)s") % {"status": status_view(event["before"], statuses).label}
                    if event["before"]
                    else _("ikke med i forrige rapport")
                )
                events.append(
                    EventRow(
                        measure=event["measure"],
                        change=f"{status.symbol} {status.label} ({was})",
                        date=short_date(event["date"]) or "–",
                    )
                )
        moves = [
            MoveRow(
                measure=m["measure"],
                before=short_date(m["before"]),
                after=short_date(m["after"]),
                moved=moved_text(m["days"]),
            )
            for m in since["moved"]
        ]
    stale_rows = sorted(
        (row for row in snapshot["attention"] if "stale" in row["reasons"]),
        key=lambda row: (row["last_update"] or "", row["title"]),
    )
    never = _("aldri")
    return PageOne(
        decisions=decisions,
        compared=compared,
        events=events,
        moves=moves,
        late_milestones=[
            MilestoneRow(
                measure=m["measure"],
                title=m["title"],
                due=short_date(m["due_date"]),
                late=_days(m["days_late"]),
            )
            for m in snapshot["late_milestones"]
        ],
        stale=[
            StaleRow(
                measure=row["title"],
                details=joined(
                    [
                        row["responsible"] or _("ingen ansvarlig"),
                        _("Sist oppdatert %(date)s")
                        % {
                            "date": (
                                f"{short_date(row['last_update'])} "
                                f"({age_text(row['last_update'], as_of)})"
                                if row["last_update"]
                                else never
                            )
                        },
                    ]
                ),
            )
            for row in stale_rows
        ],
        has_comparison=since is not None and since["previous"] is not None,
    )
