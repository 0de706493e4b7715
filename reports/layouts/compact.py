"""The compact layout (the current status, /rapporter/gjeldende.pdf): the same snapshot, one line
per measure grouped by status, the newest changes listed and all of them counted, indicators and
municipalities counted per focus area."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from reports.charts import band_labels
from reports.layouts.common import (
    ChangeView,
    MeasureLine,
    StatusGroup,
    StatusView,
    change_text,
    focus_area_of_measures,
    focus_area_view,
    joined,
    month,
    municipality_distributions,
    shared_context,
    short_date,
    status_view,
    status_views,
)
from reports.layouts.indicators import indicator_views
from reports.schema import FocusAreaData, MeasureData, Reason, Snapshot

TEMPLATE = "reports/pdf/current.html"
# How many of the period's changes the compact report lists (newest first); it counts them all.
LATEST_CHANGES = 10


def short_reason(code: Reason) -> str:
    """Why a measure needs attention, in the few words of a run-in list."""
    return {
        "delayed": _("forsinket"),
        "forecast_late": _("prognose etter planen"),
        "stopped": _("stanset"),  # version 1 and 2 only
        "stale": _("ikke oppdatert"),
    }[code]


@dataclass(frozen=True)
class AttentionItem:
    title: str
    reasons: str


@dataclass(frozen=True)
class RunIn:
    """A labelled paragraph of many short items: far cheaper to lay out than a line each."""

    name: str
    count: int
    items: list[AttentionItem]

    @property
    def text(self) -> str:
        return "; ".join(f"{item.title} ({item.reasons})" for item in self.items) + "."


def _measure_line(row: MeasureData, flagged: bool) -> MeasureLine:
    """Title, progress, responsible, planned (and expected) end and last update, each date with
    its label; the status is the group's."""
    planned, forecast = month(row["planned_end"]), month(row["forecast_end"])
    return MeasureLine(
        flag="⚑ " if flagged else "",
        title=row["title"],
        rest=joined(
            [
                f"{row['progress'] or 0}\u00a0%",
                row["responsible"] or _("ingen ansvarlig"),
                _("Planlagt slutt %(month)s") % {"month": planned}
                if planned
                else _("Planlagt slutt ikke satt"),
                _("Forventet slutt %(month)s") % {"month": forecast}
                if forecast and forecast != planned
                else "",
                _("Sist oppdatert %(date)s") % {"date": short_date(row["last_update"])}
                if row["last_update"]
                else _("Aldri oppdatert"),
            ]
        ),
    )


def _status_groups(
    area: FocusAreaData, statuses: dict[str, StatusView], flagged: set[str]
) -> list[StatusGroup]:
    """A focus area's measures grouped by status, in the vocabulary's order."""
    groups: dict[str, list[MeasureLine]] = {value: [] for value in statuses}
    for row in area["measures"]:
        groups.setdefault(row["status"], []).append(_measure_line(row, row["slug"] in flagged))
    return [
        StatusGroup(status_view(value, statuses), rows) for value, rows in groups.items() if rows
    ]


def _attention_groups(snapshot: Snapshot) -> tuple[list[RunIn], int]:
    """The measures that are delayed, late or stopped, one paragraph per focus area; and how
    many more need attention only because they have not been updated (those are flagged in the
    measure list, not named twice)."""
    by_area: dict[str, list[AttentionItem]] = {}
    only_stale = 0
    for row in snapshot["attention"]:
        if row["reasons"] == ["stale"]:
            only_stale += 1
            continue
        reasons = ", ".join(short_reason(code) for code in row["reasons"])
        by_area.setdefault(row["focus_area"] or "", []).append(AttentionItem(row["title"], reasons))
    groups = [
        RunIn(name or _("Uten satsingsområde"), len(items), items)
        for name, items in by_area.items()
    ]
    return groups, only_stale


@dataclass(frozen=True)
class CountRow:
    """A row of a small count table: a name, a count per column, the total."""

    name: str
    counts: list[int]
    total: int


def _change_summary(snapshot: Snapshot, statuses: dict[str, StatusView]) -> list[CountRow]:
    """The period's changes counted per focus area and the status they changed to (one column
    per status)."""
    area_of = focus_area_of_measures(snapshot)
    counts: dict[str, dict[str, int]] = {area["name"]: {} for area in snapshot["focus_areas"]}
    for change in snapshot["changes"]:
        row = counts.setdefault(area_of.get(change["slug"], _("Andre tiltak")), {})
        row[change["to"]] = row.get(change["to"], 0) + 1
    return [
        CountRow(name, [row.get(value, 0) for value in statuses], sum(row.values()))
        for name, row in counts.items()
        if row
    ]


def _latest_changes(
    snapshot: Snapshot, statuses: dict[str, StatusView], limit: int = LATEST_CHANGES
) -> list[ChangeView]:
    views = []
    for change in reversed(snapshot["changes"][-limit:]):
        views.append(
            ChangeView(
                short_date(change["date"]),
                change["measure"],
                change_text(change, statuses) + ".",
                comment=Truncator(change["comment"] or "").chars(70),
            )
        )
    return views


def compact_context(snapshot: Snapshot) -> dict[str, object]:
    """Everything the compact template shows, derived from the snapshot alone."""
    statuses = status_views(snapshot)
    flagged = {row["slug"] for row in snapshot["attention"]}
    area_indicators, measure_indicators = indicator_views(snapshot, measure_views=False)
    municipalities = municipality_distributions(snapshot, statuses)
    context = shared_context(
        snapshot,
        statuses,
        focus_areas=[
            focus_area_view(
                area, index, statuses, by_status=_status_groups(area, statuses, flagged)
            )
            for index, area in enumerate(snapshot["focus_areas"], start=1)
        ],
        municipalities=municipalities,
    )
    attention_groups, only_stale = _attention_groups(snapshot)
    context.update(
        area_indicators=area_indicators,
        measure_indicators=measure_indicators,
        compact=True,
        latest_changes=_latest_changes(snapshot, statuses),
        change_summary=_change_summary(snapshot, statuses),
        band_labels=band_labels(),
        indicator_summary=[
            CountRow(group.focus_area, [row.count for row in group.chart.rows], group.count)
            for group in measure_indicators
        ],
        attention_groups=attention_groups,
        only_stale=only_stale,
        measure_indicator_count=sum(g.count for g in measure_indicators),
    )
    return context
