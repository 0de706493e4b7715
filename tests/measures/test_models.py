"""The model invariants hold at the database, not only in forms.

Each violating write below bypasses model validation (`QuerySet.update`, `objects.create`) so that
only the database constraint stands between it and the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from drivkraft.core.models import ContentRevision
from measures.models import (
    Indicator,
    IndicatorValue,
    Measure,
    Programme,
    StatusUpdate,
    measure_is_stale,
)
from measures.status import Status
from teams.models import Body, BodyKind, Membership
from tests.measures.factories import (
    FocusAreaFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    ProgrammeFactory,
    StatusUpdateFactory,
    SubGoalFactory,
)
from tests.teams.factories import (
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
)

if TYPE_CHECKING:
    from _pytest.mark import ParameterSet

UTC = dt.UTC


def rejected_by_database(write: Callable[[], object]) -> bool:
    """Whether the database refuses `write` with an IntegrityError (rolled back in a savepoint)."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


# Measure ----------------------------------------------------------------------------------------

MEASURE_VIOLATIONS = {
    "progress above 100": {"progress": 101},
    "negative progress": {"progress": -1},
    "completed below 100": {"status": Status.COMPLETED, "progress": 90},
    "unknown status": {"status": "ukjent"},
    "planned end before start": {
        "planned_start": dt.date(2025, 1, 2),
        "planned_end": dt.date(2025, 1, 1),
    },
    "version zero": {"version": 0},
}

MEASURE_ALLOWED = {
    "progress 0": {"progress": 0},
    "progress 100": {"progress": 100},
    "completed at 100": {"status": Status.COMPLETED, "progress": 100},
    "planned end on start day": {
        "planned_start": dt.date(2025, 1, 1),
        "planned_end": dt.date(2025, 1, 1),
    },
    "no planned start": {"planned_start": None, "planned_end": dt.date(2025, 1, 1)},
    "no planned end": {"planned_start": dt.date(2025, 1, 1), "planned_end": None},
}


@pytest.mark.django_db
@pytest.mark.parametrize("changes", MEASURE_VIOLATIONS.values(), ids=MEASURE_VIOLATIONS.keys())
def test_measure_constraint_rejects_update(changes):
    measure = MeasureFactory(progress=40, status=Status.ON_TRACK)

    assert rejected_by_database(lambda: Measure.objects.filter(pk=measure.pk).update(**changes))

    measure.refresh_from_db()
    assert (measure.status, measure.progress, measure.version) == (Status.ON_TRACK, 40, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("changes", MEASURE_VIOLATIONS.values(), ids=MEASURE_VIOLATIONS.keys())
def test_measure_constraint_rejects_create(changes):
    assert rejected_by_database(lambda: MeasureFactory(**changes))
    assert not Measure.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("changes", MEASURE_ALLOWED.values(), ids=MEASURE_ALLOWED.keys())
def test_measure_constraint_allows_boundary(changes):
    measure = MeasureFactory(progress=40, status=Status.ON_TRACK)

    assert Measure.objects.filter(pk=measure.pk).update(**changes) == 1


@pytest.mark.django_db
def test_measure_slug_is_unique():
    MeasureFactory(slug="bredband")

    assert rejected_by_database(lambda: MeasureFactory(slug="bredband"))
    assert Measure.objects.filter(slug="bredband").count() == 1


@pytest.mark.django_db
def test_completed_measure_below_100_fails_full_clean_in_norwegian():
    measure = MeasureFactory.build(status=Status.COMPLETED, progress=90)

    with pytest.raises(ValidationError) as excinfo:
        measure.full_clean(exclude=["focus_area", "goal", "responsible"], validate_unique=False)

    assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
        "Et gjennomført tiltak har 100 % framdrift."
    ]


@pytest.mark.django_db
def test_planned_end_before_start_fails_full_clean_in_norwegian():
    measure = MeasureFactory.build(
        planned_start=dt.date(2025, 1, 2), planned_end=dt.date(2025, 1, 1)
    )

    with pytest.raises(ValidationError) as excinfo:
        measure.full_clean(exclude=["focus_area", "goal", "responsible"], validate_unique=False)

    assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
        "Planlagt slutt kan ikke være før planlagt start."
    ]


def _constraint_params() -> Iterator[ParameterSet]:
    models = [
        *apps.get_app_config("measures").get_models(),
        *apps.get_app_config("teams").get_models(),
    ]
    for model in models:
        for constraint in model._meta.constraints:
            yield pytest.param(constraint, id=constraint.name)


@pytest.mark.parametrize("constraint", list(_constraint_params()))
def test_constraint_violation_message_renders(constraint):
    message = str(constraint.get_violation_error_message())

    assert message
    assert "%" not in message.replace("100 %", "")


# Status update ----------------------------------------------------------------------------------

STATUS_UPDATE_VIOLATIONS = {
    "progress above 100": {"progress": 101},
    "negative progress": {"progress": -1},
    "completed below 100": {"status": Status.COMPLETED, "progress": 90},
    "unknown status": {"status": "ukjent"},
    "unknown previous status": {"previous_status": "ukjent"},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes", STATUS_UPDATE_VIOLATIONS.values(), ids=STATUS_UPDATE_VIOLATIONS.keys()
)
def test_status_update_constraint_rejects_update(changes):
    update = StatusUpdateFactory(status=Status.ON_TRACK, progress=30)

    assert rejected_by_database(lambda: StatusUpdate.objects.filter(pk=update.pk).update(**changes))

    update.refresh_from_db()
    assert (update.status, update.progress) == (Status.ON_TRACK, 30)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [{"previous_status": ""}, {"status": Status.COMPLETED, "progress": 100}, {"progress": 0}],
    ids=["no previous status", "completed at 100", "progress 0"],
)
def test_status_update_constraint_allows(changes):
    update = StatusUpdateFactory(status=Status.ON_TRACK, progress=30)

    assert StatusUpdate.objects.filter(pk=update.pk).update(**changes) == 1


# Programme, sub-goals, focus areas, goals -------------------------------------------------------


@pytest.mark.django_db
def test_only_one_programme_can_be_current():
    ProgrammeFactory(is_current=True)

    assert rejected_by_database(lambda: ProgrammeFactory(is_current=True))
    assert Programme.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
def test_many_programmes_can_be_not_current():
    ProgrammeFactory(is_current=True)
    ProgrammeFactory(is_current=False)
    ProgrammeFactory(is_current=False)

    assert Programme.objects.filter(is_current=False).count() == 2


@pytest.mark.django_db
def test_second_current_programme_fails_full_clean_in_norwegian():
    ProgrammeFactory(is_current=True)
    second = ProgrammeFactory.build(is_current=True, owner=OrganisationFactory())

    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()

    assert excinfo.value.message_dict[NON_FIELD_ERRORS] == ["Bare ett program kan være gjeldende."]


@pytest.mark.django_db
def test_programme_cannot_end_before_it_starts():
    programme = ProgrammeFactory(start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 1))

    assert rejected_by_database(
        lambda: Programme.objects.filter(pk=programme.pk).update(end=dt.date(2023, 12, 31))
    )
    programme.refresh_from_db()
    assert programme.end == dt.date(2024, 1, 1)


@pytest.mark.django_db
def test_programme_slug_is_unique():
    ProgrammeFactory(slug="drivkraft")

    assert rejected_by_database(lambda: ProgrammeFactory(slug="drivkraft"))


@pytest.mark.django_db
def test_sub_goal_number_is_unique_within_programme():
    sub_goal = SubGoalFactory(number=1)
    SubGoalFactory(number=1)  # another programme

    assert rejected_by_database(lambda: SubGoalFactory(programme=sub_goal.programme, number=1))


@pytest.mark.django_db
def test_focus_area_slug_is_unique():
    FocusAreaFactory(slug="reiseliv")

    assert rejected_by_database(lambda: FocusAreaFactory(slug="reiseliv"))


@pytest.mark.django_db
def test_goal_title_is_unique_within_focus_area():
    goal = GoalFactory(title="Flere arbeidsplasser")
    GoalFactory(title="Flere arbeidsplasser")  # another focus area

    assert rejected_by_database(
        lambda: GoalFactory(focus_area=goal.focus_area, title="Flere arbeidsplasser")
    )


# Indicators -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_indicator_cannot_belong_to_both_measure_and_focus_area():
    measure = MeasureFactory()

    assert rejected_by_database(
        lambda: IndicatorFactory(measure=measure, focus_area=measure.focus_area)
    )
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_indicator_must_belong_to_measure_or_focus_area():
    indicator = IndicatorFactory()

    assert rejected_by_database(
        lambda: Indicator.objects.filter(pk=indicator.pk).update(measure=None)
    )
    assert rejected_by_database(lambda: IndicatorFactory(measure=None, focus_area=None))


@pytest.mark.django_db
def test_indicator_of_focus_area_alone_is_allowed():
    area = FocusAreaFactory()
    indicator = IndicatorFactory(measure=None, focus_area=area)

    assert area.indicators.get() == indicator


@pytest.mark.django_db
def test_indicator_with_two_owners_fails_full_clean_in_norwegian():
    measure = MeasureFactory()
    indicator = IndicatorFactory.build(measure=measure, focus_area=measure.focus_area)

    with pytest.raises(ValidationError) as excinfo:
        indicator.full_clean()

    assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
        "En indikator hører til enten ett tiltak eller ett satsingsområde."
    ]


@pytest.mark.django_db
def test_indicator_has_one_value_per_date():
    value = IndicatorValueFactory(date=dt.date(2025, 1, 1))
    IndicatorValueFactory(date=dt.date(2025, 1, 1))  # another indicator

    assert rejected_by_database(
        lambda: IndicatorValue.objects.create(
            indicator=value.indicator, date=dt.date(2025, 1, 1), value=Decimal("12")
        )
    )
    assert value.indicator.values.count() == 1


@pytest.mark.django_db
def test_content_revision_is_a_single_row():
    assert rejected_by_database(lambda: ContentRevision.objects.create(pk=2))
    assert not ContentRevision.objects.filter(pk=2).exists()


# Teams ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (MunicipalityFactory, "name"),
        (MunicipalityFactory, "slug"),
        (OrganisationFactory, "name"),
        (OrganisationFactory, "slug"),
        (BodyFactory, "slug"),
    ],
)
def test_team_names_and_slugs_are_unique(factory, field):
    factory(**{field: "harstad"})

    assert rejected_by_database(lambda: factory(**{field: "harstad"}))


@pytest.mark.django_db
def test_one_body_of_each_kind():
    BodyFactory(kind=BodyKind.STEERING_GROUP)

    assert rejected_by_database(
        lambda: Body.objects.create(
            name="Styringsgruppe 2", slug="styringsgruppe-2", kind=BodyKind.STEERING_GROUP
        )
    )


@pytest.mark.django_db
def test_membership_cannot_end_before_it_starts():
    membership = MembershipFactory(start=dt.date(2024, 1, 1), end=None)

    assert rejected_by_database(
        lambda: Membership.objects.filter(pk=membership.pk).update(end=dt.date(2023, 12, 31))
    )
    assert Membership.objects.filter(pk=membership.pk).update(end=dt.date(2024, 1, 1)) == 1


@pytest.mark.django_db
def test_membership_is_unique_per_person_body_role_and_start():
    membership = MembershipFactory(role="Leder", start=dt.date(2024, 1, 1))
    duplicate = {
        "person": membership.person,
        "body": membership.body,
        "role": "Leder",
        "start": dt.date(2024, 1, 1),
    }

    assert rejected_by_database(lambda: MembershipFactory(**duplicate))
    # The same role again from a later date (a new term) is allowed.
    MembershipFactory(**(duplicate | {"start": dt.date(2026, 1, 1)}))
    assert membership.person.memberships.count() == 2


@pytest.mark.django_db
def test_membership_without_start_is_unique_per_person_body_role():
    person = PersonFactory()
    body = BodyFactory()
    MembershipFactory(person=person, body=body, role="Medlem", start=None)

    assert rejected_by_database(
        lambda: MembershipFactory(person=person, body=body, role="Medlem", start=None)
    )


# Delays and staleness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned_end", "forecast_end", "delayed"),
    [
        (dt.date(2025, 6, 30), dt.date(2025, 7, 1), True),
        (dt.date(2025, 6, 30), dt.date(2025, 6, 30), False),
        (dt.date(2025, 6, 30), dt.date(2025, 6, 1), False),
        (dt.date(2025, 6, 30), None, False),
        (None, dt.date(2025, 7, 1), False),
        (None, None, False),
    ],
)
def test_is_delayed_when_forecast_passes_plan(planned_end, forecast_end, delayed):
    measure = Measure(planned_end=planned_end, forecast_end=forecast_end)

    assert measure.is_delayed is delayed


TODAY = dt.date(2025, 4, 1)


@pytest.mark.parametrize(
    ("status", "last_status_update_at", "stale"),
    [
        (Status.ON_TRACK, None, True),
        (Status.NOT_STARTED, None, True),
        (Status.DELAYED, dt.datetime(2025, 3, 31, 12, tzinfo=UTC), False),
        # 90 days ago is not yet stale, 91 days is.
        (Status.ON_TRACK, dt.datetime(2025, 1, 1, 12, tzinfo=UTC), False),
        (Status.ON_TRACK, dt.datetime(2024, 12, 31, 12, tzinfo=UTC), True),
        # 23:30 UTC on 31 December is already 1 January in Oslo: 90 days, not stale.
        (Status.ON_TRACK, dt.datetime(2024, 12, 31, 23, 30, tzinfo=UTC), False),
        # A finished or stopped measure is never stale.
        (Status.COMPLETED, None, False),
        (Status.COMPLETED, dt.datetime(2020, 1, 1, tzinfo=UTC), False),
        (Status.STOPPED, None, False),
    ],
)
def test_measure_is_stale(status, last_status_update_at, stale):
    measure = Measure(status=status, last_status_update_at=last_status_update_at)

    assert measure_is_stale(measure, today=TODAY) is stale


def test_measure_is_stale_honours_days():
    measure = Measure(
        status=Status.ON_TRACK, last_status_update_at=dt.datetime(2025, 3, 1, 12, tzinfo=UTC)
    )

    assert measure_is_stale(measure, today=TODAY, days=30) is True
    assert measure_is_stale(measure, today=TODAY, days=31) is False
