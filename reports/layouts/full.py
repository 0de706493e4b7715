"""The full layout (the issued reports): every measure in full under its focus area and goal,
every change of the period, the measures' indicators one by one, the municipalities' chart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports.charts import distribution_chart
from reports.layouts.common import (
    ChangeView,
    GoalGroup,
    MeasureView,
    StatusView,
    change_text,
    focus_area_view,
    joined,
    municipality_distributions,
    shared_context,
    short_date,
    status_view,
    status_views,
)
from reports.layouts.indicators import indicator_views

TEMPLATE = "reports/pdf/report.html"


@dataclass(frozen=True)
class YearOfChanges:
    year: str
    changes: list[ChangeView]


def _measure(row: dict[str, Any], statuses: dict[str, StatusView]) -> MeasureView:
    status = status_view(row["status"], statuses)
    responsible = row.get("responsible") or ""
    if responsible and row.get("responsible_organisation"):
        responsible = f"{responsible} ({row['responsible_organisation']})"
    start, end = short_date(row.get("planned_start")), short_date(row.get("planned_end"))
    forecast = row.get("forecast_end")
    municipalities = ", ".join(row.get("municipalities", []))
    who = f"Ansvarlig: {responsible}" if responsible else "Ansvarlig: ikke satt"
    updated = f"Sist oppdatert: {short_date(row.get('last_update')) or 'aldri'}"
    return MeasureView(
        title=row["title"],
        status=status,
        status_line=f"{status.symbol} {status.label} · {row.get('progress') or 0}\u00a0% fullført",
        details=joined(
            [
                who,
                f"Plan: {start}–{end}" if start or end else "",
                f"Prognose: {short_date(forecast)}"
                if forecast and forecast != row.get("planned_end")
                else "",
                updated,
                f"Kommuner: {municipalities}" if municipalities else "",
            ]
        ),
        brief=joined([who, updated]),
        reasons="; ".join(row.get("reasons", [])),
    )


def _goals(area: dict[str, Any], statuses: dict[str, StatusView]) -> list[GoalGroup]:
    """The plan's hierarchy under a focus area: goal, then measure (in the snapshot's order)."""
    goals: dict[str, list[MeasureView]] = {}
    for row in area["measures"]:
        goals.setdefault(row.get("goal") or "", []).append(_measure(row, statuses))
    return [GoalGroup(title or "Uten mål", measures) for title, measures in goals.items()]


def _changes(snapshot: dict[str, Any], statuses: dict[str, StatusView]) -> list[YearOfChanges]:
    years: dict[str, list[ChangeView]] = {}
    for change in snapshot.get("changes", []):
        progress = change.get("progress")
        text = (
            change_text(change, statuses)
            + (f" ({progress}\u00a0%)" if progress is not None else "")
            + "."
            + (f" {change['comment']}" if change.get("comment") else "")
            + (f" – {change['author']}" if change.get("author") else "")
        )
        years.setdefault(change["date"][:4], []).append(
            ChangeView(short_date(change["date"]), change["measure"], text)
        )
    return [YearOfChanges(year, changes) for year, changes in years.items()]


def full_context(snapshot: dict[str, Any]) -> dict[str, object]:
    """Everything the full template shows, derived from the snapshot alone."""
    statuses = status_views(snapshot)
    area_indicators, measure_indicators = indicator_views(snapshot, measure_views=True)
    context = shared_context(
        snapshot,
        statuses,
        focus_areas=[
            focus_area_view(area, index, statuses, goals=_goals(area, statuses))
            for index, area in enumerate(snapshot.get("focus_areas", []), start=1)
        ],
        municipalities=municipality_distributions(snapshot, statuses),
    )
    context.update(
        area_indicators=area_indicators,
        measure_indicators=measure_indicators,
        changes_by_year=_changes(snapshot, statuses),
        attention=[_measure(m, statuses) for m in snapshot.get("attention", [])],
        municipality_chart=distribution_chart(
            [(m["name"], m["distribution"]["by_status"]) for m in snapshot["municipalities"]],
            snapshot["statuses"],
        ),
    )
    return context
