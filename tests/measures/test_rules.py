"""Every rule of `measures/rules.py`, asked directly: each role × each permission × each kind of
object, and the model-level question (no object) that Django's admin asks first.

This is the test subset of `make mutation` for the rules (tools/mutation/rules.toml), so it stays
small and fast, and it pins down every answer: a rule that gives one role too much or too little
on one kind of object fails here. The admin's doors are tested in tests/admin_area.

The roles: the project leader; a measure owner who is responsible for `own`, co-owner of
`co_owned` and nothing of `other`; a steering-group member whose person is also the responsible
person of `steering_own` (owning a measure gives no rights without the owner role); a measure
owner with no person; a staff user with no role; the anonymous visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from measures.models import Indicator, IndicatorValue, Measure
from measures.rules import (
    owns_indicator_measure,
    owns_measure,
    owns_milestone_measure,
    owns_value_measure,
)
from teams.roles import MEASURE_OWNER, PROJECT_LEADER, STEERING_GROUP
from tests.admin_area.conftest import make_staff_user
from tests.measures.factories import (
    DecisionFactory,
    FocusAreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
)
from tests.teams.factories import PersonFactory

pytestmark = pytest.mark.django_db

ROLES = ("leader", "owner", "steering", "owner_without_person", "no_role", "anonymous")
WITH_A_ROLE = {"leader", "owner", "steering", "owner_without_person"}
# The measures the owner (and the steering member, without the role for it) looks after.
OWNED_BY = {"owner": {"own", "co_owned"}, "steering": {"steering_own"}}
MEASURES = ("own", "co_owned", "other", "steering_own")
PLAN_MODELS = ("programme", "subgoal", "focusarea", "goal")


@pytest.fixture
def people() -> dict[str, Any]:
    return {"owner": PersonFactory(name="Kari Ansvarlig"), "steering": PersonFactory(name="Ola")}


@pytest.fixture
def users(people: dict[str, Any]) -> dict[str, User | AnonymousUser]:
    owner = make_staff_user("ansvarlig", MEASURE_OWNER)
    steering = make_staff_user("styret", STEERING_GROUP)
    for user, person in ((owner, people["owner"]), (steering, people["steering"])):
        person.user = user
        person.save()
    return {
        "leader": make_staff_user("leder", PROJECT_LEADER),
        "owner": User.objects.get(pk=owner.pk),  # fresh: no cached empty `person`
        "steering": User.objects.get(pk=steering.pk),
        "owner_without_person": make_staff_user("uten-person", MEASURE_OWNER),
        "no_role": make_staff_user("utenrolle"),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def measures(people: dict[str, Any]) -> dict[str, Measure]:
    co_owned = MeasureFactory(slug="delt")
    co_owned.co_owners.add(people["owner"])
    return {
        "own": MeasureFactory(slug="eget", responsible=people["owner"]),
        "co_owned": co_owned,
        "other": MeasureFactory(slug="andres"),
        "steering_own": MeasureFactory(slug="styrets", responsible=people["steering"]),
    }


@pytest.fixture
def indicators(measures: dict[str, Measure]) -> dict[str, Indicator]:
    found = {name: IndicatorFactory(measure=measure) for name, measure in measures.items()}
    # A focus area's indicator belongs to the plan, whoever owns the area's measures.
    found["focus_area"] = IndicatorFactory(measure=None, focus_area=FocusAreaFactory())
    return found


@pytest.fixture
def values(indicators: dict[str, Indicator]) -> dict[str, IndicatorValue]:
    return {name: IndicatorValueFactory(indicator=i) for name, i in indicators.items()}


@pytest.fixture
def milestones(measures: dict[str, Measure]) -> dict[str, Any]:
    return {name: MilestoneFactory(measure=measure) for name, measure in measures.items()}


@pytest.fixture
def decisions(measures: dict[str, Measure]) -> dict[str, Any]:
    return {name: DecisionFactory(measure=measure) for name, measure in measures.items()}


def owns(role: str, target: str) -> bool:
    return target in OWNED_BY.get(role, set())


def may_update(role: str, target: str | None) -> bool:
    """The leader everywhere; the owner role on its own measures, and at model level."""
    if role == "leader":
        return True
    return role in {"owner", "owner_without_person"} and (
        target is None or (role == "owner" and owns("owner", target))
    )


def leader_only(role: str, target: str | None) -> bool:
    return role == "leader"


def reader(role: str, target: str | None) -> bool:
    return role in WITH_A_ROLE


def never(role: str, target: str | None) -> bool:
    return False


def records_decisions(role: str, target: str | None) -> bool:
    """The steering group decides, for every measure; the project leader writes it down too."""
    return role in {"leader", "steering"}


Expected = Callable[[str, str | None], bool]

MEASURE_PERMS: dict[str, Expected] = {
    "measures.view_measure": reader,
    "measures.add_measure": leader_only,
    "measures.change_measure": may_update,
    "measures.delete_measure": leader_only,
    "measures.publish_measure": leader_only,
    "measures.import_measure": leader_only,
    "measures.update_status_measure": may_update,
    "measures.edit_plan_measure": leader_only,
    "measures.edit_description_measure": may_update,
    "measures.view_statusupdate": reader,
    "measures.add_statusupdate": may_update,
    "measures.change_statusupdate": never,
    "measures.delete_statusupdate": never,
}
INDICATOR_PERMS: dict[str, Expected] = {
    "measures.view_indicator": reader,
    "measures.add_indicator": leader_only,
    "measures.change_indicator": may_update,
    "measures.delete_indicator": leader_only,
}
VALUE_PERMS: dict[str, Expected] = {
    "measures.view_indicatorvalue": reader,
    "measures.add_indicatorvalue": may_update,
    "measures.change_indicatorvalue": may_update,
    "measures.delete_indicatorvalue": may_update,
}
PLAN_PERMS: dict[str, Expected] = {
    f"measures.{action}_{model}": reader if action == "view" else leader_only
    for model in PLAN_MODELS
    for action in ("view", "add", "change", "delete")
}
# Milestones are the owner's to keep, on a milestone or on the measure a new one is added to.
MILESTONE_PERMS: dict[str, Expected] = {
    "measures.view_milestone": reader,
    "measures.add_milestone": may_update,
    "measures.change_milestone": may_update,
    "measures.delete_milestone": may_update,
}
DECISION_PERMS: dict[str, Expected] = {
    "measures.view_decision": reader,
    "measures.add_decision": may_update,  # asking the steering group
    "measures.record_decision": records_decisions,
    "measures.change_decision": records_decisions,
    "measures.delete_decision": leader_only,
}
EVERY_PERM = {
    **MEASURE_PERMS,
    **INDICATOR_PERMS,
    **VALUE_PERMS,
    **PLAN_PERMS,
    **MILESTONE_PERMS,
    **DECISION_PERMS,
}


def answers(user: Any, perms: dict[str, Expected], objects: dict[str, Any]) -> dict[Any, bool]:
    return {
        (perm, target): user.has_perm(perm, obj)
        for perm in perms
        for target, obj in objects.items()
    }


def expected(role: str, perms: dict[str, Expected], targets: list[str]) -> dict[Any, bool]:
    return {(perm, target): perms[perm](role, target) for perm in perms for target in targets}


@pytest.mark.parametrize("role", ROLES)
def test_every_permission_of_a_role(
    users, measures, indicators, values, milestones, decisions, role
):
    """One test per role, so that the objects are made once: the model-level answers (asked
    without an object, as the admin asks whether to show a model and its buttons), the app on the
    admin index, and each permission on each kind of object. An inline edits the values of an
    indicator, so the value rules take either a value or its indicator."""
    user = users[role]
    area = measures["own"].focus_area
    plan_objects = {"programme": area.programme, "focusarea": area, "goal": measures["own"].goal}

    actual = {
        "model level": {perm: user.has_perm(perm) for perm in EVERY_PERM},
        "app": user.has_module_perms("measures"),
        "measures": answers(user, MEASURE_PERMS, measures),
        "indicators": answers(user, INDICATOR_PERMS, indicators),
        "values": answers(user, VALUE_PERMS, values),
        "values via indicator": answers(user, VALUE_PERMS, indicators),
        "milestones": answers(user, MILESTONE_PERMS, milestones),
        "milestones via measure": answers(user, MILESTONE_PERMS, measures),
        "decisions": answers(user, DECISION_PERMS, decisions),
        "decisions via measure": answers(user, DECISION_PERMS, measures),
        "plan": {
            perm: user.has_perm(perm, plan_objects.get(perm.split("_")[-1])) for perm in PLAN_PERMS
        },
    }

    assert actual == {
        "model level": {perm: rule(role, None) for perm, rule in EVERY_PERM.items()},
        "app": role in WITH_A_ROLE,
        "measures": expected(role, MEASURE_PERMS, list(measures)),
        "indicators": expected(role, INDICATOR_PERMS, list(indicators)),
        "values": expected(role, VALUE_PERMS, list(values)),
        "values via indicator": expected(role, VALUE_PERMS, list(indicators)),
        "milestones": expected(role, MILESTONE_PERMS, list(milestones)),
        "milestones via measure": expected(role, MILESTONE_PERMS, list(measures)),
        "decisions": expected(role, DECISION_PERMS, list(decisions)),
        "decisions via measure": expected(role, DECISION_PERMS, list(measures)),
        "plan": {perm: rule(role, "own") for perm, rule in PLAN_PERMS.items()},
    }


# The predicates, asked directly ------------------------------------------------------------------


def test_owning_a_measure_asks_for_an_active_user_with_a_person(users, measures):
    owner = users["owner"]
    assert owns_measure(owner, measures["own"])
    assert owns_measure(owner, measures["co_owned"])
    assert not owns_measure(owner, measures["other"])
    assert not owns_measure(users["owner_without_person"], measures["own"])
    assert not owns_measure(users["anonymous"], measures["own"])

    owner.is_active = False

    assert not owns_measure(owner, measures["own"])


def test_ownership_without_an_object_is_decided_per_object(users):
    for predicate in (
        owns_measure,
        owns_indicator_measure,
        owns_value_measure,
        owns_milestone_measure,
    ):
        assert predicate(users["no_role"], None) is True, predicate


def test_a_focus_areas_indicator_and_its_values_are_nobodys_own(users, indicators, values):
    assert not owns_indicator_measure(users["owner"], indicators["focus_area"])
    assert not owns_value_measure(users["owner"], values["focus_area"])
    assert owns_indicator_measure(users["owner"], indicators["own"])
    assert owns_value_measure(users["owner"], values["own"])
    assert owns_value_measure(users["owner"], indicators["co_owned"])
