"""Reads for the steering group: the archive and what changed since the last report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery

from measures.models import FocusArea, Measure, StatusUpdate
from measures.selectors import current_programme
from measures.status import STATUS_INFO, Status
from reports.models import Report, ReportState, Scope
from reports.schema import MeasureData, load_snapshot
from teams.models import Municipality


def issued_reports() -> QuerySet[Report]:
    """Issued reports of every scope, the newest first."""
    return (
        Report.objects.filter(state=ReportState.ISSUED)
        .select_related("focus_area", "municipality")
        .order_by("-issued_at", "-pk")
    )


def last_programme_report() -> Report | None:
    """The issued report for the whole programme whose period ends last: the current report's
    changes and a new report's period start the day after it."""
    return (
        Report.objects.filter(state=ReportState.ISSUED, scope=Scope.PROGRAMME)
        .order_by("-period_end", "-issued_at")
        .first()
    )


def previous_issued_report(
    *,
    scope: str,
    focus_area: FocusArea | None = None,
    municipality: Municipality | None = None,
) -> Report | None:
    """The issued report of the same scope (and focus area or municipality) whose period ends
    last: what a new report of that scope is compared with."""
    return (
        Report.objects.filter(
            state=ReportState.ISSUED, scope=scope, focus_area=focus_area, municipality=municipality
        )
        .order_by("-period_end", "-issued_at", "-pk")
        .first()
    )


@dataclass
class ForecastMove:
    measure: Measure
    before: dt.date
    after: dt.date

    @property
    def days(self) -> int:
        """How many days the expected end moved: later is positive."""
        return (self.after - self.before).days

    @property
    def distance(self) -> int:
        """How many days it moved, whichever way."""
        return abs(self.days)


@dataclass
class SinceLastReport:
    """What changed in the public plan after the last report for the whole programme."""

    report: Report | None
    since: dt.date | None  # the first day counted; None: from the start
    delayed: list[StatusUpdate] = field(default_factory=list)
    completed: list[StatusUpdate] = field(default_factory=list)
    stopped: list[StatusUpdate] = field(default_factory=list)
    moved: list[ForecastMove] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.delayed or self.completed or self.stopped or self.moved)


# The transitions the summary names, each listed once per measure (its newest).
_KINDS = {Status.DELAYED: "delayed", Status.COMPLETED: "completed", Status.STOPPED: "stopped"}


def changes_since_last_report() -> SinceLastReport:
    """The status updates of public measures dated after the last whole-programme report's
    period (or since the programme started, when none is issued): new delays, completed and
    stopped measures (those still in that status, with the update that put them there), and
    expected ends that moved (from the last update before the period to the newest one).
    Three queries, however many updates."""
    report = last_programme_report()
    if report is not None:
        since: dt.date | None = report.period_end + dt.timedelta(days=1)
    else:
        programme = current_programme()
        since = programme.start if programme else None
    updates = StatusUpdate.objects.public()  # newest first
    if since is not None:
        updates = updates.filter(date__gte=since)
    summary = SinceLastReport(report=report, since=since)

    newest: dict[int, StatusUpdate] = {}  # per measure: the newest update in the period
    oldest: dict[int, StatusUpdate] = {}
    seen: set[tuple[int, str]] = set()
    for update in updates:
        newest.setdefault(update.measure_id, update)
        oldest[update.measure_id] = update
        kind = _KINDS.get(Status(update.status))
        measure = update.measure
        if (
            kind is not None
            and update.is_transition
            and measure.status == update.status
            and (update.measure_id, kind) not in seen
        ):
            seen.add((update.measure_id, kind))
            getattr(summary, kind).append(update)

    before = _forecast_before(since, list(newest)) if since is not None else {}
    for measure_id, update in newest.items():
        # Without an update before the period, the period's first update set the expected end.
        start = before.get(measure_id) or oldest[measure_id].forecast_end
        if start is not None and update.forecast_end is not None and update.forecast_end != start:
            summary.moved.append(ForecastMove(update.measure, start, update.forecast_end))
    summary.moved.sort(key=lambda move: (-abs(move.days), move.measure.title))
    return summary


def _forecast_before(since: dt.date, measure_ids: list[int]) -> dict[int, dt.date | None]:
    """Each measure's expected end as its last update before `since` left it."""
    if not measure_ids:
        return {}
    last_before = (
        StatusUpdate.objects.filter(measure=OuterRef("pk"), date__lt=since)
        .order_by("-date", "-created_at", "-id")
        .values("forecast_end")[:1]
    )
    return dict(
        Measure.objects.filter(pk__in=measure_ids)
        .annotate(forecast_before=Subquery(last_before))
        .values_list("pk", "forecast_before")
    )


def latest_report_pair() -> tuple[Report, Report] | None:
    """The newest issued report and the issued report of the same scope before it (what the
    steering group's Min side compares); None while there is no such pair."""
    newest = issued_reports().first()
    if newest is None:
        return None
    before = (
        Report.objects.filter(
            state=ReportState.ISSUED,
            scope=newest.scope,
            focus_area=newest.focus_area,
            municipality=newest.municipality,
        )
        .exclude(pk=newest.pk)
        .filter(Q(issued_at__lt=newest.issued_at) | Q(issued_at=newest.issued_at, pk__lt=newest.pk))
        .order_by("-issued_at", "-pk")
        .first()
    )
    return None if before is None else (newest, before)


@dataclass(frozen=True)
class ComparedStatus:
    value: str
    label: str
    symbol: str


@dataclass(frozen=True)
class ComparedMeasure:
    """A measure in both reports: its status and progress then and now."""

    title: str
    slug: str
    focus_area: str
    status_then: ComparedStatus
    status_now: ComparedStatus
    progress_then: int
    progress_now: int

    @property
    def status_changed(self) -> bool:
        return self.status_then.value != self.status_now.value

    @property
    def progress_change(self) -> int:
        return self.progress_now - self.progress_then

    @property
    def changed(self) -> bool:
        return self.status_changed or bool(self.progress_change)


@dataclass(frozen=True)
class ListedMeasure:
    """A measure in one of the two reports only."""

    title: str
    slug: str
    focus_area: str
    status: ComparedStatus
    progress: int


@dataclass(frozen=True)
class ReportComparison:
    then: Report  # the earlier of the two (by period end, then issue time)
    now: Report
    measures: list[ComparedMeasure]  # the changed first, then in the newer report's order
    added: list[ListedMeasure]  # in the newer report only
    removed: list[ListedMeasure]  # in the earlier report only

    @property
    def changed_count(self) -> int:
        return sum(1 for m in self.measures if m.changed)


def _rows(report: Report) -> dict[str, MeasureData]:
    """The measures a report listed, by slug, in its order (from its stored snapshot)."""
    if not report.snapshot:
        return {}
    snapshot = load_snapshot(report.snapshot)
    return {row["slug"]: row for area in snapshot["focus_areas"] for row in area["measures"]}


def _status(row: MeasureData) -> ComparedStatus:
    # The label in the page's language where the status is known; else as the report had it.
    info = STATUS_INFO.get(Status(row["status"])) if row["status"] in Status.values else None
    return ComparedStatus(
        value=row["status"],
        label=info.label if info is not None else row["status_label"],
        symbol=info.symbol if info is not None else "?",
    )


def _listed(row: MeasureData) -> ListedMeasure:
    return ListedMeasure(
        title=row["title"],
        slug=row["slug"],
        focus_area=row["focus_area"],
        status=_status(row),
        progress=row["progress"] or 0,
    )


def report_comparison(*, report: Report, other: Report) -> ReportComparison:
    """Two issued reports side by side, from their stored snapshots (no query per measure): per
    measure in both, its status and progress then and now; the measures only one of them has.
    The earlier report (by period end, then issue time) is «then», whichever comes first here."""
    then, now = sorted(
        (report, other), key=lambda r: (r.period_end, r.issued_at or r.requested_at, r.pk)
    )
    before, after = _rows(then), _rows(now)
    measures = [
        ComparedMeasure(
            title=row["title"],
            slug=slug,
            focus_area=row["focus_area"],
            status_then=_status(before[slug]),
            status_now=_status(row),
            progress_then=before[slug]["progress"] or 0,
            progress_now=row["progress"] or 0,
        )
        for slug, row in after.items()
        if slug in before
    ]
    measures.sort(key=lambda m: not m.changed)  # the changed first, each part in report order
    return ReportComparison(
        then=then,
        now=now,
        measures=measures,
        added=[_listed(row) for slug, row in after.items() if slug not in before],
        removed=[_listed(row) for slug, row in before.items() if slug not in after],
    )
