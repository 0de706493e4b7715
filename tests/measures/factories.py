"""Factories for the plan: programme, focus areas, goals, measures, status updates, indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

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
from measures.status import Status
from tests.teams.factories import OrganisationFactory, PersonFactory


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Program Drivkraft {n}")
    short_name = factory.Sequence(lambda n: f"Drivkraft {n}")
    slug = factory.Sequence(lambda n: f"drivkraft-{n}")
    owner = factory.SubFactory(OrganisationFactory)
    start = dt.date(2024, 1, 1)
    end = dt.date(2027, 12, 31)
    project_goal = "Styrke næringslivet i regionen gjennom kommunesamarbeid."
    is_current = False


class SubGoalFactory(factory.django.DjangoModelFactory[SubGoal]):
    class Meta:
        model = SubGoal

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Delmål {n}")


class FocusAreaFactory(factory.django.DjangoModelFactory[FocusArea]):
    class Meta:
        model = FocusArea

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Satsingsområde {n}")
    slug = factory.Sequence(lambda n: f"satsingsomrade-{n}")
    order = factory.Sequence(lambda n: n)


class GoalFactory(factory.django.DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    focus_area = factory.SubFactory(FocusAreaFactory)
    title = factory.Sequence(lambda n: f"Mål {n}")


class MeasureFactory(factory.django.DjangoModelFactory[Measure]):
    class Meta:
        model = Measure

    focus_area = factory.SubFactory(FocusAreaFactory)
    goal = factory.SubFactory(GoalFactory, focus_area=factory.SelfAttribute("..focus_area"))
    title = factory.Sequence(lambda n: f"Tiltak {n}")
    slug = factory.Sequence(lambda n: f"tiltak-{n}")
    summary = "Et tiltak for å prøve ut noe nytt."
    planned_start = dt.date(2024, 3, 1)
    planned_end = dt.date(2025, 12, 31)
    status = Status.NOT_STARTED
    # A completed measure is at 100 % (a database constraint); others start at 0.
    progress = factory.LazyAttribute(lambda o: 100 if o.status == Status.COMPLETED else 0)
    responsible = factory.SubFactory(PersonFactory)
    is_published = True


class StatusUpdateFactory(factory.django.DjangoModelFactory[StatusUpdate]):
    """A bare timeline row; use `measures.services.status_update_create` to change a measure."""

    class Meta:
        model = StatusUpdate

    measure = factory.SubFactory(MeasureFactory)
    date = dt.date(2024, 6, 1)
    previous_status = Status.NOT_STARTED
    status = Status.ON_TRACK
    progress = 25
    comment = "Arbeidet er i gang."
    author_name = "Prosjektleder"


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    """An indicator of one measure; pass `measure=None, focus_area=...` for a focus area's."""

    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    focus_area = None
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "deltakere"
    baseline = Decimal("0")
    target = Decimal("100")
    target_date = dt.date(2027, 12, 31)


class IndicatorValueFactory(factory.django.DjangoModelFactory[IndicatorValue]):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    date = factory.Sequence(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))
    value = Decimal("10")


class MilestoneFactory(factory.django.DjangoModelFactory[Milestone]):
    """A coming milestone; set `completed_on` for a done one, a past `due_date` for a late one."""

    class Meta:
        model = Milestone

    measure = factory.SubFactory(MeasureFactory)
    title = factory.Sequence(lambda n: f"Milepæl {n}")
    due_date = dt.date(2027, 6, 1)
    completed_on = None
    order = factory.Sequence(lambda n: n)


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    """A pending request; set `decided_on` and `decision` together for a recorded one."""

    class Meta:
        model = Decision

    measure = factory.SubFactory(MeasureFactory)
    question = factory.Sequence(lambda n: f"Skal tiltaket utvides? ({n})")
    decided_on = None
    decision = ""
