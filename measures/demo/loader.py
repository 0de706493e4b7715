"""The idempotent loader: brings the database in line with the demo data in `data`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from measures.demo.data import (
    BODIES,
    DECISIONS,
    FOCUS_AREAS,
    INDICATORS,
    MEASURES,
    MILESTONES,
    MUNICIPALITIES,
    ORGANISATIONS,
    OWNER_SLUG,
    PEOPLE,
    PROGRAMME,
    PROGRAMME_SLUG,
    SUB_GOALS,
)
from measures.demo.specs import MeasureSpec
from measures.demo.synthetic import load_synthetic_measures
from measures.models import (
    Decision,
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    Programme,
    StatusUpdate,
    SubGoal,
)
from measures.services import status_update_create
from measures.status import Status
from teams.models import Body, Membership, Municipality, Organisation, Person


@dataclass(frozen=True)
class DemoSummary:
    """What the database holds after a load, and what this load added."""

    municipalities: int
    organisations: int
    people: int
    bodies: int
    memberships: int
    focus_areas: int
    goals: int
    measures: int
    published_measures: int
    status_updates: int
    indicators: int
    indicator_values: int
    new_measures: int
    new_status_updates: int
    new_synthetic_measures: int


def _differs(obj: models.Model, name: str, value: object) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        # Compare keys, so an unchanged row costs no query for its related object.
        key = value.pk if isinstance(value, models.Model) else value
        return bool(getattr(obj, field.attname) != key)
    return bool(getattr(obj, name) != value)


def _sync[M: models.Model](
    model: type[M],
    lookup: Mapping[str, object],
    values: Mapping[str, object],
    *,
    create_only: Mapping[str, object] | None = None,
    on_change: Mapping[str, object] | None = None,
) -> tuple[M, bool]:
    """Create the row found by `lookup`, or bring its `values` in line; equal rows are not written.

    `create_only` is used only when creating; `on_change` is written along with any change.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values, **(create_only or {})), True
    changes = {name: value for name, value in values.items() if _differs(obj, name, value)}
    if changes:
        # save(), not update(): the signals that renew the public content's revision must fire.
        changes.update(on_change or {})
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(changes))
        if on_change:
            obj.refresh_from_db(fields=list(on_change))
    return obj, False


def _load_organisations() -> dict[str, Organisation]:
    return {
        spec.slug: _sync(
            Organisation,
            {"slug": spec.slug},
            {"name": spec.name, "kind": spec.kind, "short_name": spec.short_name},
        )[0]
        for spec in ORGANISATIONS
    }


def _load_municipalities() -> dict[str, Municipality]:
    return {
        spec.slug: _sync(
            Municipality,
            {"slug": spec.slug},
            {
                "name": spec.name,
                "sami_name": spec.sami_name,
                "region": spec.region,
                "joined": spec.joined,
                "number": spec.number,
            },
        )[0]
        for spec in MUNICIPALITIES
    }


def _load_people(
    organisations: Mapping[str, Organisation], municipalities: Mapping[str, Municipality]
) -> dict[str, Person]:
    return {
        spec.name: _sync(
            Person,
            {"name": spec.name},
            {
                "title": spec.title,
                "organisation": organisations[spec.organisation],
                "municipality": municipalities[spec.municipality] if spec.municipality else None,
                "email": spec.email,
            },
        )[0]
        for spec in PEOPLE
    }


def _load_bodies(people: Mapping[str, Person]) -> None:
    for order, spec in enumerate(BODIES):
        body, _ = _sync(
            Body,
            {"kind": spec.kind},
            {"slug": spec.slug, "name": spec.name, "description": spec.description, "order": order},
        )
        for member_order, member in enumerate(spec.members):
            _sync(
                Membership,
                {
                    "body": body,
                    "person": people[member.person],
                    "role": member.role,
                    "start": member.start,
                },
                {"order": member_order},
            )


def _load_programme(owner: Organisation) -> Programme:
    # Only one programme can be current, and the demo programme is the one to show.
    for other in Programme.objects.filter(is_current=True).exclude(slug=PROGRAMME_SLUG):
        other.is_current = False
        other.save(update_fields=["is_current"])
    programme, _ = _sync(
        Programme, {"slug": PROGRAMME_SLUG}, {**PROGRAMME, "owner": owner, "is_current": True}
    )
    for spec in SUB_GOALS:
        _sync(
            SubGoal,
            {"programme": programme, "number": spec.number},
            {
                "title": spec.title,
                "description": spec.description,
                "status": spec.status,
                "assessment": spec.assessment,
            },
        )
    return programme


def _load_focus_areas(
    programme: Programme,
) -> tuple[dict[str, FocusArea], dict[tuple[str, str], Goal]]:
    focus_areas: dict[str, FocusArea] = {}
    goals: dict[tuple[str, str], Goal] = {}
    for order, spec in enumerate(FOCUS_AREAS, start=1):
        focus_area, _ = _sync(
            FocusArea,
            {"slug": spec.slug},
            {
                "programme": programme,
                "name": spec.name,
                "description": spec.description,
                "order": order,
            },
        )
        focus_areas[spec.slug] = focus_area
        for goal_order, (title, description) in enumerate(spec.goals, start=1):
            goals[spec.slug, title], _ = _sync(
                Goal,
                {"focus_area": focus_area, "title": title},
                {"description": description, "order": goal_order},
            )
    return focus_areas, goals


def _related_closure() -> dict[str, set[str]]:
    """Relations are symmetrical: setting one side must not drop a link declared on the other."""
    related: dict[str, set[str]] = {spec.slug: set(spec.related) for spec in MEASURES}
    for spec in MEASURES:
        for other in spec.related:
            related[other].add(spec.slug)
    return related


def _load_history(measure: Measure, spec: MeasureSpec, author_name: str) -> int:
    for update in spec.history:
        # A completed measure's forecast is the day it was actually finished.
        forecast_end = update.forecast_end
        if forecast_end is None and update.status == Status.COMPLETED:
            forecast_end = update.date
        status_update_create(
            measure=measure,
            status=update.status,
            progress=update.progress,
            comment=update.comment,
            date=update.date,
            forecast_end=forecast_end,
            author_name=author_name,
        )
    return len(spec.history)


def _load_measures(
    focus_areas: Mapping[str, FocusArea],
    goals: Mapping[tuple[str, str], Goal],
    municipalities: Mapping[str, Municipality],
    organisations: Mapping[str, Organisation],
    people: Mapping[str, Person],
) -> tuple[dict[str, Measure], int, int]:
    """Returns the measures by slug, how many were created and how many status updates."""
    measures: dict[str, Measure] = {}
    new_measures = new_updates = 0
    for spec in MEASURES:
        responsible = people[spec.responsible]
        measure, created = _sync(
            Measure,
            {"slug": spec.slug},
            {
                "focus_area": focus_areas[spec.focus_area],
                "goal": goals[spec.focus_area, spec.goal] if spec.goal else None,
                "title": spec.title,
                "summary": spec.summary,
                "description": spec.description,
                "strategy": spec.strategy,
                "expected_result": spec.expected_result,
                "planned_start": spec.planned_start,
                "planned_end": spec.planned_end,
                "responsible": responsible,
                "is_published": spec.is_published,
            },
            create_only={"forecast_end": spec.planned_end},
            on_change={"version": F("version") + 1, "updated_at": timezone.now()},
        )
        new_measures += created
        measure.municipalities.set([municipalities[slug] for slug in spec.municipalities])
        measure.partners.set([organisations[slug] for slug in spec.partners])
        measure.co_owners.set([people[name] for name in spec.co_owners])
        if not measure.status_updates.exists():
            new_updates += _load_history(measure, spec, responsible.name)
        measures[spec.slug] = measure
    for slug, related in _related_closure().items():
        measures[slug].related.set([measures[other] for other in related])
    return measures, new_measures, new_updates


def _load_indicators(measures: Mapping[str, Measure], focus_areas: Mapping[str, FocusArea]) -> None:
    for spec in INDICATORS:
        owner = {
            "measure": measures[spec.measure] if spec.measure else None,
            "focus_area": focus_areas[spec.focus_area] if spec.focus_area else None,
        }
        indicator, _ = _sync(
            Indicator,
            {**owner, "name": spec.name},
            {
                "description": spec.description,
                "unit": spec.unit,
                "baseline": spec.baseline,
                "baseline_date": spec.baseline_date,
                "target": spec.target,
                "target_date": spec.target_date,
                "higher_is_better": spec.higher_is_better,
                "order": spec.order,
            },
        )
        for on, value, note in spec.values:
            _sync(
                IndicatorValue, {"indicator": indicator, "date": on}, {"value": value, "note": note}
            )


def _noon(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(12), tzinfo=timezone.get_current_timezone())


def _load_milestones_and_decisions(measures: Mapping[str, Measure]) -> None:
    for milestone in MILESTONES:
        _sync(
            Milestone,
            {"measure": measures[milestone.measure], "title": milestone.title},
            {
                "due_date": milestone.due_date,
                "completed_on": milestone.completed_on,
                "order": milestone.order,
            },
        )
    for decision in DECISIONS:
        _sync(
            Decision,
            {"measure": measures[decision.measure], "question": decision.question},
            {
                "requested_at": _noon(decision.requested_on),
                "decided_on": decision.decided_on,
                "decision": decision.decision,
            },
        )


# The tables a load fills, with their many-to-many tables.
LOADED_MODELS: tuple[type[models.Model], ...] = (
    Municipality,
    Organisation,
    Person,
    Programme,
    SubGoal,
    FocusArea,
    Goal,
    Measure,
    StatusUpdate,
    Indicator,
    IndicatorValue,
    Milestone,
    Decision,
)


def _refresh_planner_statistics() -> None:
    """Let PostgreSQL's planner know the rows just loaded. Until autovacuum gets round to
    analysing the tables it plans with the counts of before: after 2,000 new measures it joined
    every public measure's updates to find the ten newest for the home page (9 ms instead of 0.4).
    ANALYZE may run in the load's transaction, and counts the rows it has written."""
    if connection.vendor != "postgresql":
        return
    tables = {model._meta.db_table for model in LOADED_MODELS}
    for model in LOADED_MODELS:
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through is not None:
                tables.add(through._meta.db_table)
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


@transaction.atomic
def load_demo(*, synthetic_measures: int = 0) -> DemoSummary:
    """Load the demo programme, and `synthetic_measures` numbered synthetic measures besides.

    Guarantees: everything or nothing is written (one transaction); loading again writes nothing
    new (rows are matched by slug or name, histories are only created for measures without one,
    synthetic measures that exist are skipped); every measure's status, progress and forecast are
    those of its latest status update.
    """
    organisations = _load_organisations()
    municipalities = _load_municipalities()
    people = _load_people(organisations, municipalities)
    _load_bodies(people)
    programme = _load_programme(organisations[OWNER_SLUG])
    focus_areas, goals = _load_focus_areas(programme)
    measures, new_measures, new_updates = _load_measures(
        focus_areas, goals, municipalities, organisations, people
    )
    _load_indicators(measures, focus_areas)
    _load_milestones_and_decisions(measures)
    new_synthetic = load_synthetic_measures(synthetic_measures) if synthetic_measures else 0
    _refresh_planner_statistics()
    return DemoSummary(
        municipalities=Municipality.objects.count(),
        organisations=Organisation.objects.count(),
        people=Person.objects.count(),
        bodies=Body.objects.count(),
        memberships=Membership.objects.count(),
        focus_areas=FocusArea.objects.filter(programme=programme).count(),
        goals=Goal.objects.filter(focus_area__programme=programme).count(),
        measures=Measure.objects.count(),
        published_measures=Measure.objects.public().count(),
        status_updates=StatusUpdate.objects.count(),
        indicators=Indicator.objects.count(),
        indicator_values=IndicatorValue.objects.count(),
        new_measures=new_measures,
        new_status_updates=new_updates,
        new_synthetic_measures=new_synthetic,
    )
