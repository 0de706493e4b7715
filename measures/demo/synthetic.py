"""Numbered synthetic measures for benchmarks, added with bulk inserts on top of the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from drivkraft.core.revision import content_changed
from measures.demo.data import (
    ALL,
    COMPLETED,
    DELAYED,
    NOT_STARTED,
    ON_TRACK,
    PROGRAMME_SLUG,
    STOPPED,
)
from measures.demo.specs import UpdateSpec, d
from measures.models import FocusArea, Goal, Indicator, IndicatorValue, Measure, StatusUpdate
from measures.status import Status
from teams.models import BodyKind, Municipality, Person

SYNTHETIC_SLUG_PREFIX = "syntetisk-tiltak-"
SYNTHETIC_TOPICS = (
    "nettverksmøter",
    "kompetanseheving",
    "ungdomsmedvirkning",
    "besøksforvaltning",
    "næringsareal",
    "digitalisering",
    "sjømat",
    "beredskap",
    "energi",
    "helserekruttering",
    "samferdsel",
    "gründerveiledning",
)
# The final status of synthetic measure n is SYNTHETIC_OUTCOMES[n % 10]: a realistic mix.
SYNTHETIC_OUTCOMES = (
    COMPLETED,
    ON_TRACK,
    COMPLETED,
    DELAYED,
    ON_TRACK,
    COMPLETED,
    STOPPED,
    DELAYED,
    COMPLETED,
    NOT_STARTED,
)
SYNTHETIC_LAST_DATE = d("2022-02-28")
SYNTHETIC_COMMENTS = {
    NOT_STARTED: "Ikke startet; venter på oppstart.",
    ON_TRACK: "Arbeidet går etter planen.",
    DELAYED: "Forsinket fordi nøkkelpersoner har vært opptatt med andre oppgaver.",
    COMPLETED: "Tiltaket er gjennomført.",
    STOPPED: "Stanset fordi finansieringen falt bort.",
}


def synthetic_slug(number: int) -> str:
    return f"{SYNTHETIC_SLUG_PREFIX}{number:04d}"


def _moment(on: dt.date) -> dt.datetime:
    # As the status service records an update dated in the past: midday on that day.
    return dt.datetime.combine(on, dt.time(12), tzinfo=timezone.get_current_timezone())


def _synthetic_history(
    number: int, planned_start: dt.date, planned_end: dt.date
) -> list[UpdateSpec]:
    """A short, deterministic status history ending in the measure's outcome."""
    outcome = SYNTHETIC_OUTCOMES[number % len(SYNTHETIC_OUTCOMES)]
    if outcome == NOT_STARTED:
        on = min(planned_start - dt.timedelta(days=30), SYNTHETIC_LAST_DATE)
        return [UpdateSpec(on, NOT_STARTED, 0, SYNTHETIC_COMMENTS[NOT_STARTED])]
    steps = 2 + number % 3
    gap = max(14, (planned_end - planned_start).days // steps)
    final_progress = {
        COMPLETED: 100,
        ON_TRACK: 40 + number % 50,
        DELAYED: 30 + number % 40,
        STOPPED: 10 + number % 30,
    }[outcome]
    history = []
    for step in range(1, steps + 1):
        on = min(planned_start + dt.timedelta(days=gap * step), SYNTHETIC_LAST_DATE)
        if step < steps:
            history.append(
                UpdateSpec(
                    on, ON_TRACK, final_progress * step // (steps + 1), SYNTHETIC_COMMENTS[ON_TRACK]
                )
            )
        elif outcome == COMPLETED:
            history.append(UpdateSpec(on, COMPLETED, 100, SYNTHETIC_COMMENTS[COMPLETED], on))
        elif outcome == DELAYED:
            forecast = planned_end + dt.timedelta(days=90 + number % 120)
            history.append(
                UpdateSpec(on, DELAYED, final_progress, SYNTHETIC_COMMENTS[DELAYED], forecast)
            )
        else:
            history.append(UpdateSpec(on, outcome, final_progress, SYNTHETIC_COMMENTS[outcome]))
    return history


@transaction.atomic
def load_synthetic_measures(count: int) -> int:
    """Add the synthetic measures numbered 1 to `count` that do not exist yet; return how many.

    Uses bulk inserts (no per-update service call) for speed, and sets each measure's status,
    progress, forecast, last update time and version as the status service would have.
    Needs the demo's focus areas and municipalities.
    """
    existing = set(
        Measure.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).values_list(
            "slug", flat=True
        )
    )
    numbers = [n for n in range(1, count + 1) if synthetic_slug(n) not in existing]
    if not numbers:
        return 0
    focus_areas = list(FocusArea.objects.filter(programme__slug=PROGRAMME_SLUG).order_by("order"))
    first_goal: dict[int, Goal] = {}
    for goal in Goal.objects.filter(focus_area__in=focus_areas).order_by("order", "title"):
        first_goal.setdefault(goal.focus_area_id, goal)
    municipalities = list(Municipality.objects.filter(slug__in=ALL).order_by("name"))
    developers = {
        person.municipality_id: person
        for person in Person.objects.filter(
            memberships__body__kind=BodyKind.BUSINESS_TEAM, municipality__isnull=False
        )
    }

    measures: list[Measure] = []
    histories: list[list[UpdateSpec]] = []
    places: list[list[Municipality]] = []
    for number in numbers:
        planned_start = d("2019-01-01") + dt.timedelta(days=number * 37 % 900)
        planned_end = planned_start + dt.timedelta(days=120 + number * 53 % 400)
        history = _synthetic_history(number, planned_start, planned_end)
        focus_area = focus_areas[number % len(focus_areas)]
        where = [
            municipalities[(number + 3 * i) % len(municipalities)] for i in range(1 + number % 3)
        ]
        forecast_end = planned_end
        for update in history:
            forecast_end = update.forecast_end or forecast_end
        last = history[-1]
        topic = SYNTHETIC_TOPICS[number % len(SYNTHETIC_TOPICS)]
        measures.append(
            Measure(
                focus_area=focus_area,
                goal=first_goal.get(focus_area.pk),
                title=f"Syntetisk tiltak {number:04d} – {topic}",
                slug=synthetic_slug(number),
                summary=f"Syntetisk tiltak om {topic}, laget for ytelsestester.",
                description=f"Et syntetisk tiltak om **{topic}** i {where[0].name}.",
                strategy="Syntetisk strategi.",
                expected_result="Syntetisk forventet resultat.",
                planned_start=planned_start,
                planned_end=planned_end,
                forecast_end=forecast_end,
                status=last.status,
                progress=last.progress,
                responsible=developers.get(where[0].pk),
                is_published=True,
                version=1 + len(history),
                last_status_update_at=_moment(last.date),
            )
        )
        histories.append(history)
        places.append(where)
    Measure.objects.bulk_create(measures, batch_size=500)

    status_updates: list[StatusUpdate] = []
    through = Measure.municipalities.through
    municipality_links: list[tuple[int, int]] = []
    indicators: list[Indicator] = []
    for measure, history, where in zip(measures, histories, places, strict=True):
        previous = Status.NOT_STARTED
        current_forecast = measure.planned_end
        author_name = measure.responsible.name if measure.responsible else ""
        for update in history:
            current_forecast = update.forecast_end or current_forecast
            status_updates.append(
                StatusUpdate(
                    measure=measure,
                    date=update.date,
                    previous_status=previous,
                    status=update.status,
                    progress=update.progress,
                    forecast_end=current_forecast,
                    comment=update.comment,
                    author_name=author_name,
                )
            )
            previous = update.status
        municipality_links.extend((measure.pk, municipality.pk) for municipality in where)
        indicators.append(
            Indicator(
                measure=measure,
                name=f"Deltakere i {measure.title[:150]}",
                unit="deltakere",
                baseline=Decimal(0),
                baseline_date=measure.planned_start,
                target=Decimal(50 + measure.pk % 100),
                target_date=measure.planned_end or SYNTHETIC_LAST_DATE,
            )
        )
    StatusUpdate.objects.bulk_create(status_updates, batch_size=1000)
    through._default_manager.bulk_create(
        [through(measure_id=m, municipality_id=k) for m, k in municipality_links], batch_size=1000
    )
    Indicator.objects.bulk_create(indicators, batch_size=500)

    indicator_values = [
        IndicatorValue(
            indicator=indicator,
            date=indicator.baseline_date + dt.timedelta(days=30 * step),
            value=Decimal(indicator.target * step // 4),
        )
        for indicator in indicators
        if indicator.baseline_date
        for step in range(1, 4)
    ]
    IndicatorValue.objects.bulk_create(indicator_values, batch_size=1000)
    content_changed()  # bulk inserts send no signals
    return len(measures)
