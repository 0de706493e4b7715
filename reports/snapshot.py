"""The frozen data of a status report: everything the PDF shows, as plain JSON.

Issuing a report stores this snapshot beside the PDF, so the record of what the steering group
was told never depends on later edits. Only published, unarchived measures are ever included.
Its shape is `reports.schema.Snapshot`; read a stored one with `reports.schema.load_snapshot`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import overload

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from measures.models import (
    Decision,
    FocusArea,
    Indicator,
    Measure,
    Milestone,
    Programme,
    StatusUpdate,
    measure_is_stale,
)
from measures.status import STATUS_INFO, Status, mean_progress
from reports.models import Report
from reports.schema import (
    FINISHED_STATUSES,
    SNAPSHOT_VERSION,
    AttentionData,
    ChangeData,
    DecisionData,
    DistributionData,
    FocusAreaData,
    ForecastMoveData,
    IndicatorData,
    IndicatorOwner,
    MeasureData,
    MilestoneData,
    MunicipalityData,
    Reason,
    ScopeData,
    SinceData,
    Snapshot,
    StatusEventData,
    load_snapshot,
)
from reports.selectors import previous_issued_report
from teams.models import Municipality
from teams.selectors import display_name


@overload
def _iso(value: dt.date | dt.datetime) -> str: ...
@overload
def _iso(value: dt.date | dt.datetime | None) -> str | None: ...
def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


@overload
def _number(value: Decimal) -> str: ...
@overload
def _number(value: Decimal | None) -> str | None: ...
def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def stale_days() -> int:
    """The stale limit: a running measure not updated for more days than this is stale."""
    return int(settings.STALE_DAYS)


def _distribution(measures: list[Measure]) -> DistributionData:
    counts = Counter(m.status for m in measures)
    return {
        "total": len(measures),
        "by_status": {status.value: counts.get(status.value, 0) for status in Status},
        "progress": mean_progress((m.status, m.progress) for m in measures),
    }


def scope_measures(
    *, focus_area: FocusArea | None = None, municipality: Municipality | None = None
) -> QuerySet[Measure]:
    measures = Measure.objects.public()
    if focus_area is not None:
        measures = measures.filter(focus_area=focus_area)
    if municipality is not None:
        measures = measures.filter(municipalities=municipality)
    return (
        measures.select_related("focus_area__programme", "goal", "responsible__organisation")
        .prefetch_related(
            "municipalities",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
        )
        .order_by("focus_area__order", "focus_area__name", "title")
    )


def _measure(
    measure: Measure, *, today: dt.date, stale_limit: int, programme_end: dt.date | None
) -> MeasureData:
    info = STATUS_INFO[Status(measure.status)]
    responsible = measure.responsible
    return {
        "title": measure.title,
        "slug": measure.slug,
        "url": measure.get_absolute_url(),
        "focus_area": measure.focus_area.name,
        "goal": measure.goal.title if measure.goal else None,
        "status": info.value,
        "status_label": info.label,
        "progress": measure.progress,
        "responsible": responsible.name if responsible else None,
        "responsible_organisation": (
            responsible.organisation.name if responsible and responsible.organisation else None
        ),
        "planned_start": _iso(measure.planned_start),
        "planned_end": _iso(measure.planned_end),
        "forecast_end": _iso(measure.forecast_end),
        "is_delayed": measure.is_delayed,
        "last_update": _iso(measure.last_status_update_at),
        "is_stale": measure_is_stale(
            measure, today=today, days=stale_limit, programme_end=programme_end
        ),
        "municipalities": [m.name for m in measure.municipalities.all()],
    }


def _indicator(indicator: Indicator, owner: IndicatorOwner) -> IndicatorData:
    values = sorted(indicator.values.all(), key=lambda v: v.date)
    return {
        "name": indicator.name,
        "owner": owner,
        "unit": indicator.unit,
        "description": indicator.description,
        "baseline": _number(indicator.baseline),
        "baseline_date": _iso(indicator.baseline_date),
        "target": _number(indicator.target),
        "target_date": _iso(indicator.target_date),
        "higher_is_better": indicator.higher_is_better,
        "values": [
            {"date": _iso(v.date), "value": _number(v.value), "note": v.note} for v in values
        ],
        "latest": _number(values[-1].value) if values else None,
    }


def build_snapshot(
    *,
    programme: Programme,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    focus_area: FocusArea | None = None,
    municipality: Municipality | None = None,
    today: dt.date | None = None,
) -> Snapshot:
    """Read everything a report shows, in a constant number of queries."""
    today = today or timezone.localdate()
    stale_limit = stale_days()
    measures = list(scope_measures(focus_area=focus_area, municipality=municipality))
    measure_rows = [
        _measure(m, today=today, stale_limit=stale_limit, programme_end=programme.end)
        for m in measures
    ]
    by_slug = {row["slug"]: row for row in measure_rows}

    scope: ScopeData
    if focus_area is not None:
        scope = {"kind": "omrade", "name": focus_area.name, "slug": focus_area.slug}
    elif municipality is not None:
        scope = {"kind": "kommune", "name": municipality.name, "slug": municipality.slug}
    else:
        scope = {"kind": "program", "name": "Hele programmet", "slug": programme.slug}

    areas = list(FocusArea.objects.filter(programme=programme).order_by("order", "name"))
    if focus_area is not None:
        areas = [focus_area]
    focus_area_rows: list[FocusAreaData] = []
    for area in areas:
        in_area = [m for m in measures if m.focus_area_id == area.pk]
        if focus_area is None and municipality is not None and not in_area:
            continue
        focus_area_rows.append(
            {
                "name": area.name,
                "slug": area.slug,
                "distribution": _distribution(in_area),
                "measures": [by_slug[m.slug] for m in in_area],
            }
        )

    transitions = (
        StatusUpdate.objects.filter(
            measure__in=measures, date__gte=period_start, date__lte=period_end
        )
        .exclude(previous_status="")
        .select_related("measure")
        .order_by("date", "created_at", "id")
    )
    changes: list[ChangeData] = [
        {
            "date": _iso(u.date),
            "measure": u.measure.title,
            "slug": u.measure.slug,
            "from": u.previous_status,
            "from_label": STATUS_INFO[Status(u.previous_status)].label,
            "to": u.status,
            "to_label": STATUS_INFO[Status(u.status)].label,
            "progress": u.progress,
            "comment": u.comment,
            "author": u.author_name,
        }
        for u in transitions
        if u.previous_status != u.status
    ]

    attention: list[AttentionData] = []
    for row in measure_rows:
        if row["status"] in FINISHED_STATUSES:
            continue  # completed and stopped measures need no attention
        reasons: list[Reason] = []
        if row["status"] == Status.DELAYED:
            reasons.append("delayed")
        elif row["is_delayed"]:
            reasons.append("forecast_late")
        if row["is_stale"]:
            reasons.append("stale")
        if reasons:
            attention.append({**row, "reasons": reasons})

    indicators = [
        _indicator(indicator, owner={"kind": "measure", "slug": m.slug, "name": m.title})
        for m in measures
        for indicator in m.indicators.all()
    ]
    area_indicators = Indicator.objects.filter(focus_area__in=areas).select_related("focus_area")
    indicators += [
        _indicator(
            i,
            owner={"kind": "focus_area", "slug": i.focus_area.slug, "name": i.focus_area.name},
        )
        for i in area_indicators.prefetch_related("values")
        if i.focus_area is not None
    ]

    municipalities = list(Municipality.objects.order_by("name"))
    if municipality is not None:
        municipalities = [municipality]
    municipality_rows: list[MunicipalityData] = []
    for m in municipalities:
        taking_part = [x for x in measures if any(y.pk == m.pk for y in x.municipalities.all())]
        municipality_rows.append(
            {
                "name": m.name,
                "slug": m.slug,
                "distribution": _distribution(taking_part),
                "measures": [by_slug[x.slug] for x in taking_part],
            }
        )

    return {
        "version": SNAPSHOT_VERSION,
        "title": title,
        "scope": scope,
        "period": {"start": _iso(period_start), "end": _iso(period_end)},
        "generated_at": _iso(timezone.now()),
        "stale_days": stale_limit,
        "as_of": _iso(today),
        "programme": {
            "name": programme.name,
            "short_name": programme.short_name,
            "owner": programme.owner.name,
            "start": _iso(programme.start),
            "end": _iso(programme.end),
            "project_goal": programme.project_goal,
            "effect_goal": programme.effect_goal,
            "sub_goals": [
                {
                    "number": g.number,
                    "title": g.title,
                    "status": g.status,
                    "status_label": STATUS_INFO[Status(g.status)].label,
                    "assessment": g.assessment,
                }
                for g in programme.sub_goals.all()
            ],
        },
        "statuses": [
            {
                "value": info.value,
                "label": info.label,
                "symbol": info.symbol,
                "colour": info.colour,
                "description": str(info.description),
            }
            for info in STATUS_INFO.values()
        ],
        "figures": {
            **_distribution(measures),
            "delayed": sum(1 for r in measure_rows if r["is_delayed"]),
            "stale": sum(1 for r in measure_rows if r["is_stale"]),
            "changes": len(changes),
        },
        "focus_areas": focus_area_rows,
        "changes": changes,
        "attention": attention,
        "indicators": indicators,
        "municipalities": municipality_rows,
        "decisions": _pending_decisions(measures),
        "late_milestones": _late_milestones(measures, today=today),
        "since_previous": since_previous(
            measure_rows,
            previous=previous_issued_report(
                scope=scope["kind"], focus_area=focus_area, municipality=municipality
            ),
        ),
    }


def _pending_decisions(measures: list[Measure]) -> list[DecisionData]:
    """The decisions asked of the steering group about the listed measures and not yet made,
    the oldest request first (one query)."""
    pending = (
        Decision.objects.pending()
        .filter(measure__in=measures)
        .select_related("measure", "requested_by__person")
        .order_by("requested_at", "pk")
    )
    return [
        {
            "measure": d.measure.title,
            "slug": d.measure.slug,
            "question": d.question,
            "requested_at": _iso(d.requested_at),
            "requested_by": display_name(d.requested_by),
        }
        for d in pending
    ]


def _late_milestones(measures: list[Measure], *, today: dt.date) -> list[MilestoneData]:
    """The open milestones past their due date of the listed measures that are still running,
    the longest overdue first (one query)."""
    late = (
        Milestone.objects.late(today)
        .filter(measure__in=measures)
        .exclude(measure__status__in=FINISHED_STATUSES)  # never on an attention list
        .select_related("measure")
        .order_by("due_date", "measure__title", "order", "pk")
    )
    return [
        {
            "measure": m.measure.title,
            "slug": m.measure.slug,
            "title": m.title,
            "due_date": _iso(m.due_date),
            "days_late": (today - m.due_date).days,
        }
        for m in late
    ]


def _previous_rows(report: Report) -> dict[str, MeasureData]:
    if not report.snapshot:
        return {}
    snapshot = load_snapshot(report.snapshot)
    return {row["slug"]: row for area in snapshot["focus_areas"] for row in area["measures"]}


def _status_since(measure_slugs: Iterable[str], statuses: Iterable[str]) -> dict[str, str]:
    """The day each measure last came into its status, by slug (one query)."""
    transitions = (
        StatusUpdate.objects.filter(measure__slug__in=list(measure_slugs), status__in=statuses)
        .exclude(previous_status=F("status"))
        .order_by("-date", "-created_at", "-id")
        .values_list("measure__slug", "status", "date")
    )
    newest: dict[str, str] = {}
    for slug, status, day in transitions:
        newest.setdefault(f"{slug}:{status}", _iso(day))
    return newest


_EVENTS: dict[str, str] = {
    Status.DELAYED.value: "delayed",
    Status.COMPLETED.value: "completed",
    Status.STOPPED.value: "stopped",
}


def since_previous(rows: list[MeasureData], *, previous: Report | None) -> SinceData:
    """The listed measures compared with the previous issued report's snapshot: those that have
    become delayed, completed or stopped since (with the day of the change), and those whose
    expected end moved (from the date in that report to the date now). A measure that report did
    not list counts as new: a delay, completion or stop is named; an expected end cannot move."""
    since: SinceData = {
        "previous": None,
        "delayed": [],
        "completed": [],
        "stopped": [],
        "moved": [],
    }
    if previous is None:
        return since
    since["previous"] = {
        "pk": previous.pk,
        "title": previous.title,
        "period_end": _iso(previous.period_end),
        "issued_at": _iso(previous.issued_at),
    }
    before = _previous_rows(previous)
    arrived = [
        row
        for row in rows
        if row["status"] in _EVENTS
        and (row["slug"] not in before or before[row["slug"]]["status"] != row["status"])
    ]
    dates = _status_since((row["slug"] for row in arrived), _EVENTS) if arrived else {}
    for row in arrived:
        then = before.get(row["slug"])
        event: StatusEventData = {
            "measure": row["title"],
            "slug": row["slug"],
            "date": dates.get(f"{row['slug']}:{row['status']}"),
            "before": then["status"] if then else "",
            "before_label": then["status_label"] if then else "",
        }
        kind = _EVENTS[row["status"]]
        if kind == "delayed":
            since["delayed"].append(event)
        elif kind == "completed":
            since["completed"].append(event)
        else:
            since["stopped"].append(event)
    moves: list[ForecastMoveData] = []
    for row in rows:
        then = before.get(row["slug"])
        old, new = (then["forecast_end"] if then else None), row["forecast_end"]
        if old and new and old != new:
            days = (dt.date.fromisoformat(new) - dt.date.fromisoformat(old)).days
            moves.append(
                {
                    "measure": row["title"],
                    "slug": row["slug"],
                    "before": old,
                    "after": new,
                    "days": days,
                }
            )
    moves.sort(key=lambda move: (-abs(move["days"]), move["measure"]))
    since["moved"] = moves
    for events in (since["delayed"], since["completed"], since["stopped"]):
        events.sort(key=lambda event: (event["date"] or "", event["measure"]))
    return since
