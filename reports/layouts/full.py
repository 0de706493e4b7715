"""The full layout (the issued reports): every measure in full under its focus area and goal,
every change of the period, the measures' indicators one by one, the municipalities' chart."""

from __future__ import annotations

from dataclasses import dataclass

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
from reports.schema import AttentionData, FocusAreaData, MeasureData, Reason, Snapshot

TEMPLATE = "reports/pdf/report.html"

# Why a measure needs attention, in the words of the full report.
REASONS: dict[Reason, str] = {
    "delayed": "Forsinket",
    "forecast_late": "Forventet slutt er etter planen",
    "stopped": "Stanset",  # version 1 and 2 only
    "stale": "Ikke oppdatert på over {stale_days} dager",
}


@dataclass(frozen=True)
class YearOfChanges:
    year: str
    changes: list[ChangeView]


def _measure(
    row: MeasureData, statuses: dict[str, StatusView], *, reasons: str = ""
) -> MeasureView:
    status = status_view(row["status"], statuses)
    responsible = row["responsible"] or ""
    if responsible and row["responsible_organisation"]:
        responsible = f"{responsible} ({row['responsible_organisation']})"
    start, end = short_date(row["planned_start"]), short_date(row["planned_end"])
    forecast = row["forecast_end"]
    municipalities = ", ".join(row["municipalities"])
    who = f"Ansvarlig: {responsible}" if responsible else "Ansvarlig: ikke satt"
    updated = f"Sist oppdatert {short_date(row['last_update']) or 'aldri'}"
    return MeasureView(
        title=row["title"],
        status=status,
        status_line=f"{status.symbol} {status.label} · {row['progress'] or 0}\u00a0% fullført",
        details=joined(
            [
                who,
                f"Planlagt start {start}" if start else "",
                f"Planlagt slutt {end}" if end else "Planlagt slutt ikke satt",
                f"Forventet slutt {short_date(forecast)}"
                if forecast and forecast != row["planned_end"]
                else "",
                updated,
                f"Kommuner: {municipalities}" if municipalities else "",
            ]
        ),
        brief=joined([who, updated]),
        reasons=reasons,
    )


def _attention(row: AttentionData, statuses: dict[str, StatusView], stale_days: int) -> MeasureView:
    reasons = "; ".join(REASONS[code].format(stale_days=stale_days) for code in row["reasons"])
    return _measure(row, statuses, reasons=reasons)


def _goals(area: FocusAreaData, statuses: dict[str, StatusView]) -> list[GoalGroup]:
    """The plan's hierarchy under a focus area: goal, then measure (in the snapshot's order)."""
    goals: dict[str, list[MeasureView]] = {}
    for row in area["measures"]:
        goals.setdefault(row["goal"] or "", []).append(_measure(row, statuses))
    return [GoalGroup(title or "Uten mål", measures) for title, measures in goals.items()]


def _changes(snapshot: Snapshot, statuses: dict[str, StatusView]) -> list[YearOfChanges]:
    years: dict[str, list[ChangeView]] = {}
    for change in snapshot["changes"]:
        progress = change["progress"]
        text = (
            change_text(change, statuses)
            + (f" ({progress}\u00a0%)" if progress is not None else "")
            + "."
            + (f" {change['comment']}" if change["comment"] else "")
            + (f" – {change['author']}" if change["author"] else "")
        )
        years.setdefault(change["date"][:4], []).append(
            ChangeView(short_date(change["date"]), change["measure"], text)
        )
    return [YearOfChanges(year, changes) for year, changes in years.items()]


def full_context(snapshot: Snapshot) -> dict[str, object]:
    """Everything the full template shows, derived from the snapshot alone."""
    statuses = status_views(snapshot)
    area_indicators, measure_indicators = indicator_views(snapshot, measure_views=True)
    context = shared_context(
        snapshot,
        statuses,
        focus_areas=[
            focus_area_view(area, index, statuses, goals=_goals(area, statuses))
            for index, area in enumerate(snapshot["focus_areas"], start=1)
        ],
        municipalities=municipality_distributions(snapshot, statuses),
    )
    context.update(
        area_indicators=area_indicators,
        measure_indicators=measure_indicators,
        changes_by_year=_changes(snapshot, statuses),
        attention=[
            _attention(row, statuses, snapshot["stale_days"]) for row in snapshot["attention"]
        ],
        municipality_chart=distribution_chart(
            [(m["name"], m["distribution"]["by_status"]) for m in snapshot["municipalities"]],
            snapshot["statuses"],
        ),
    )
    return context
