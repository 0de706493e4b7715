"""The shape of a report's snapshot, and the one way to read a stored one (`load_snapshot`).

A snapshot is plain JSON (it is stored in `Report.snapshot`): dates as ISO strings, decimals as
strings, statuses by value. It holds facts, not display text: why a measure needs attention is
a reason code, whose an indicator is says what kind of owner it is; the layouts put those into
words (`reports.layouts`).

Version 1 (until 2026) said why in Norwegian sentences and named an indicator's owner by its
display name only. Version 2 had no page for the steering group: no decisions asked of it, no late
milestones, no comparison with the previous report, and it put completed and stopped measures on
the attention list. Version 3 carries what page 1 («Til styringsgruppen») needs, and its attention
list holds running measures only. `load_snapshot` reads all three; issued reports keep their
stored snapshot and PDF as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypedDict, cast

from measures.status import Status

SNAPSHOT_VERSION = 3
# What version 1 showed when none of its measures was stale (the limit was a constant then).
_V1_DEFAULT_STALE_DAYS = 90
# Never on an attention list (version 3); versions 1 and 2 listed them, their upgrade drops them.
FINISHED_STATUSES: tuple[str, ...] = (Status.COMPLETED.value, Status.STOPPED.value)

# Why a measure needs attention: its status is delayed; it is running but its forecast end is
# after the planned end; it is stopped; it has not been updated for `stale_days`.
Reason = Literal["delayed", "forecast_late", "stopped", "stale"]
REASONS: tuple[Reason, ...] = ("delayed", "forecast_late", "stopped", "stale")


class ScopeData(TypedDict):
    kind: str  # a reports.models.Scope value
    name: str
    slug: str


class PeriodData(TypedDict):
    start: str
    end: str


class SubGoalData(TypedDict):
    number: int
    title: str
    status: str
    status_label: str
    assessment: str


class ProgrammeData(TypedDict):
    name: str
    short_name: str
    owner: str
    start: str | None
    end: str | None
    project_goal: str
    effect_goal: str
    sub_goals: list[SubGoalData]


class StatusData(TypedDict):
    value: str
    label: str
    symbol: str
    colour: str
    description: str


class DistributionData(TypedDict):
    total: int
    by_status: dict[str, int]  # every status value, zeros included
    progress: int | None  # measures.status.mean_progress


class FiguresData(DistributionData):
    delayed: int  # forecast after the plan
    stale: int
    changes: int


class MeasureData(TypedDict):
    title: str
    slug: str
    url: str
    focus_area: str
    goal: str | None
    status: str
    status_label: str
    progress: int
    responsible: str | None
    responsible_organisation: str | None
    planned_start: str | None
    planned_end: str | None
    forecast_end: str | None
    is_delayed: bool
    last_update: str | None
    is_stale: bool
    municipalities: list[str]


class AttentionData(MeasureData):
    reasons: list[Reason]  # in the order of REASONS, never empty


class FocusAreaData(TypedDict):
    name: str
    slug: str
    distribution: DistributionData
    measures: list[MeasureData]


class MunicipalityData(TypedDict):
    name: str
    slug: str
    distribution: DistributionData
    measures: list[MeasureData]


# A status change; "from" is a keyword, hence the functional form.
ChangeData = TypedDict(
    "ChangeData",
    {
        "date": str,
        "measure": str,
        "slug": str,
        "from": str,
        "from_label": str,
        "to": str,
        "to_label": str,
        "progress": int,
        "comment": str,
        "author": str,
    },
)


class IndicatorOwner(TypedDict):
    kind: Literal["measure", "focus_area"]
    slug: str
    name: str  # the measure's title or the focus area's name


class IndicatorValueData(TypedDict):
    date: str
    value: str
    note: str


class _IndicatorFacts(TypedDict):
    name: str
    unit: str
    description: str
    baseline: str
    baseline_date: str | None
    target: str
    target_date: str
    higher_is_better: bool
    values: list[IndicatorValueData]  # oldest first
    latest: str | None


class IndicatorData(_IndicatorFacts):
    owner: IndicatorOwner


class DecisionData(TypedDict):
    """A decision asked of the steering group and not yet recorded."""

    measure: str
    slug: str
    question: str
    requested_at: str
    requested_by: str  # a display name; empty when unknown


class MilestoneData(TypedDict):
    """A milestone of a listed measure that is due and not completed."""

    measure: str
    slug: str
    title: str
    due_date: str
    days_late: int  # on the snapshot's day


class PreviousReportData(TypedDict):
    pk: int
    title: str
    period_end: str
    issued_at: str | None


class StatusEventData(TypedDict):
    """A measure that came into a status after the previous report (delayed, completed or
    stopped): the status then (empty: not in that report) and the day of the change, if known."""

    measure: str
    slug: str
    date: str | None
    before: str
    before_label: str


class ForecastMoveData(TypedDict):
    measure: str
    slug: str
    before: str
    after: str
    days: int  # later is positive


class SinceData(TypedDict):
    """The listed measures compared with the previous issued report of the same scope."""

    previous: PreviousReportData | None  # None: this is the first report of its scope
    delayed: list[StatusEventData]
    completed: list[StatusEventData]
    stopped: list[StatusEventData]
    moved: list[ForecastMoveData]  # the largest moves first


class _SnapshotFacts(TypedDict):
    version: int
    title: str
    scope: ScopeData
    period: PeriodData
    generated_at: str
    programme: ProgrammeData
    statuses: list[StatusData]
    figures: FiguresData
    focus_areas: list[FocusAreaData]
    changes: list[ChangeData]  # oldest first
    municipalities: list[MunicipalityData]


class Snapshot(_SnapshotFacts):
    """What a report shows, frozen: see `reports.snapshot.build_snapshot`."""

    stale_days: int  # a running measure not updated for this many days is stale
    as_of: str  # the day the snapshot counted from (stale, late); before version 3: period end
    attention: list[AttentionData]  # running measures only (never completed or stopped)
    indicators: list[IndicatorData]
    decisions: list[DecisionData]  # oldest request first
    late_milestones: list[MilestoneData]  # the longest overdue first
    # None: made before version 3, when reports did not compare with the previous one.
    since_previous: SinceData | None


# --- Version 2 ----------------------------------------------------------------------------------


class _SnapshotV2(_SnapshotFacts):
    stale_days: int
    attention: list[AttentionData]
    indicators: list[IndicatorData]


# --- Version 1 ----------------------------------------------------------------------------------


class _AttentionDataV1(MeasureData):
    reasons: list[str]


class _IndicatorDataV1(_IndicatorFacts):
    owner: str


class _SnapshotV1(_SnapshotFacts):
    attention: list[_AttentionDataV1]
    indicators: list[_IndicatorDataV1]


# The sentences version 1 stored for the reasons; the stale one went on «… over N dager».
_V1_REASONS: dict[str, Reason] = {
    "Forsinket": "delayed",
    "Forventet slutt er etter planen": "forecast_late",
    "Stanset": "stopped",
}
_V1_STALE = "Ikke oppdatert på over "


def _v1_reason(text: str) -> Reason:
    if text in _V1_REASONS:
        return _V1_REASONS[text]
    if text.startswith(_V1_STALE):
        return "stale"
    raise ValueError(f"Not a reason a version-1 snapshot gives: {text!r}")


def _v1_stale_days(old: _SnapshotV1) -> int:
    """The days the version-1 snapshot's stale reason names (they were counted with them), or,
    if none is stale, 90 (what that code showed then too)."""
    for row in old["attention"]:
        for text in row["reasons"]:
            if text.startswith(_V1_STALE):
                return int(text.removeprefix(_V1_STALE).split()[0])
    return _V1_DEFAULT_STALE_DAYS


def _v1_owner(name: str, areas: dict[str, str], measures: dict[str, str]) -> IndicatorOwner:
    # As the version-1 layout decided: a name that is a focus area's and no measure's title is
    # the focus area's; any other is a measure's (unknown: no slug, shown under «Andre tiltak»).
    if name in areas and name not in measures:
        return {"kind": "focus_area", "slug": areas[name], "name": name}
    return {"kind": "measure", "slug": measures.get(name, ""), "name": name}


def _upgrade_v1(old: _SnapshotV1) -> _SnapshotV2:
    areas = {area["name"]: area["slug"] for area in old["focus_areas"]}
    # By title, the last measure of a title wins, as it did in the version-1 layout.
    measures = {m["title"]: m["slug"] for area in old["focus_areas"] for m in area["measures"]}
    attention: list[AttentionData] = []
    for row in old["attention"]:
        upgraded = cast(AttentionData, dict(row))
        upgraded["reasons"] = [_v1_reason(text) for text in row["reasons"]]
        attention.append(upgraded)
    indicators: list[IndicatorData] = []
    for data in old["indicators"]:
        indicator = cast(IndicatorData, dict(data))
        indicator["owner"] = _v1_owner(data["owner"] or "", areas, measures)
        indicators.append(indicator)
    return {
        "version": 2,
        "title": old["title"],
        "scope": old["scope"],
        "period": old["period"],
        "generated_at": old["generated_at"],
        "stale_days": _v1_stale_days(old),
        "programme": old["programme"],
        "statuses": old["statuses"],
        "figures": old["figures"],
        "focus_areas": old["focus_areas"],
        "changes": old["changes"],
        "attention": attention,
        "indicators": indicators,
        "municipalities": old["municipalities"],
    }


def _upgrade_v2(old: _SnapshotV2) -> Snapshot:
    # Completed and stopped measures are never on an attention list: version 2 put them there
    # (a completed measure whose forecast was after the plan, every stopped one).
    attention = [row for row in old["attention"] if row["status"] not in FINISHED_STATUSES]
    return {
        "version": SNAPSHOT_VERSION,
        "title": old["title"],
        "scope": old["scope"],
        "period": old["period"],
        "generated_at": old["generated_at"],
        "stale_days": old["stale_days"],
        "as_of": old["period"]["end"],
        "programme": old["programme"],
        "statuses": old["statuses"],
        "figures": old["figures"],
        "focus_areas": old["focus_areas"],
        "changes": old["changes"],
        "attention": attention,
        "indicators": old["indicators"],
        "municipalities": old["municipalities"],
        "decisions": [],
        "late_milestones": [],
        "since_previous": None,
    }


def load_snapshot(data: Mapping[str, object]) -> Snapshot:
    """A stored snapshot (`Report.snapshot`, or one just built) as the current version.

    Guarantees: a version-3 snapshot comes back as it is (not copied). An older one comes back
    upgraded as a new object (the stored one is left alone): version 1's reasons as codes and its
    indicators' owners as the version-1 layout read them; from version 2 on, no decisions and no
    late milestones (there were none), no comparison with the previous report (`since_previous`
    None: not made then), and no completed or stopped measure on the attention list. Anything
    else raises ValueError.
    """
    version = data.get("version")
    if version == SNAPSHOT_VERSION:
        # Written by build_snapshot of this version: trusted, not validated field by field.
        return cast(Snapshot, data)
    if version == 2:
        return _upgrade_v2(cast(_SnapshotV2, data))
    if version == 1:
        return _upgrade_v2(_upgrade_v1(cast(_SnapshotV1, data)))
    raise ValueError(f"Not a report snapshot this code can read (version {version!r})")
