"""The shapes of the demo data: one frozen dataclass per kind of row, and terse constructors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from measures.status import Status
from teams.models import BodyKind, OrganisationKind, Region


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


@dataclass(frozen=True)
class UpdateSpec:
    date: dt.date
    status: Status
    progress: int
    comment: str
    forecast_end: dt.date | None = None


def u(
    on: str, status: Status, progress: int, comment: str, forecast_end: str | None = None
) -> UpdateSpec:
    return UpdateSpec(d(on), status, progress, comment, d(forecast_end) if forecast_end else None)


@dataclass(frozen=True)
class MunicipalitySpec:
    slug: str
    name: str
    sami_name: str
    region: Region
    joined: dt.date
    number: str  # kommunenummer, from 2024 (Troms got new numbers when Troms og Finnmark split)


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    kind: OrganisationKind
    short_name: str = ""


@dataclass(frozen=True)
class PersonSpec:
    name: str
    title: str
    organisation: str  # organisation slug
    municipality: str | None = None  # municipality slug
    email: str = ""


@dataclass(frozen=True)
class MemberSpec:
    person: str  # person name
    role: str
    start: dt.date


@dataclass(frozen=True)
class BodySpec:
    kind: BodyKind
    slug: str
    name: str
    description: str
    members: tuple[MemberSpec, ...]


@dataclass(frozen=True)
class SubGoalSpec:
    number: int
    title: str
    description: str
    status: Status
    assessment: str


@dataclass(frozen=True)
class FocusAreaSpec:
    slug: str
    name: str
    description: str
    goals: tuple[tuple[str, str], ...]  # (title, description)


@dataclass(frozen=True)
class MeasureSpec:
    slug: str
    title: str
    focus_area: str  # focus area slug
    goal: str | None  # goal title within the focus area
    summary: str
    description: str
    strategy: str
    expected_result: str
    planned_start: dt.date
    planned_end: dt.date
    responsible: str  # person name
    municipalities: tuple[str, ...]
    partners: tuple[str, ...] = ()
    co_owners: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    history: tuple[UpdateSpec, ...] = ()
    is_published: bool = True


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    description: str
    unit: str
    baseline: Decimal
    baseline_date: dt.date
    target: Decimal
    target_date: dt.date
    values: tuple[tuple[dt.date, Decimal, str], ...]
    measure: str | None = None  # measure slug
    focus_area: str | None = None  # focus area slug
    higher_is_better: bool = True
    order: int = 0


def figures(
    *rows: tuple[str, str] | tuple[str, str, str],
) -> tuple[tuple[dt.date, Decimal, str], ...]:
    return tuple((d(row[0]), Decimal(row[1]), row[2] if len(row) > 2 else "") for row in rows)


@dataclass(frozen=True)
class MilestoneSpec:
    measure: str  # measure slug
    title: str
    due_date: dt.date
    completed_on: dt.date | None = None
    order: int = 0


@dataclass(frozen=True)
class DecisionSpec:
    measure: str  # measure slug
    question: str
    requested_on: dt.date
    decided_on: dt.date | None = None
    decision: str = ""
