"""Milestones and decisions (issue 12): the models' rules, their querysets, the services that
write them, the permissions, and the stale rule with its wording."""

from __future__ import annotations

import datetime as dt
from datetime import UTC

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.test import override_settings
from django.utils import timezone, translation

from drivkraft.core.revision import current_revision
from measures.models import (
    Decision,
    Measure,
    Milestone,
    measure_is_stale,
    stale_age_text,
)
from measures.services import (
    decision_record,
    decision_request,
    milestone_complete,
    milestone_delete,
    milestone_move,
    milestone_save,
)
from measures.status import Status
from teams.roles import MEASURE_OWNER, PROJECT_LEADER, STEERING_GROUP
from tests.measures.factories import (
    DecisionFactory,
    FocusAreaFactory,
    MeasureFactory,
    MilestoneFactory,
    ProgrammeFactory,
)
from tests.teams.factories import PersonFactory, UserFactory

TODAY = dt.date(2025, 4, 1)


# --- The late rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_date", "completed_on", "late"),
    [
        (dt.date(2025, 3, 31), None, True),  # due yesterday, not done
        (TODAY, None, False),  # due today is not late yet
        (dt.date(2025, 4, 2), None, False),
        (dt.date(2025, 3, 1), dt.date(2025, 3, 20), False),  # done, if after the due date
        (dt.date(2025, 3, 1), dt.date(2025, 2, 20), False),
    ],
)
def test_is_late(due_date, completed_on, late):
    assert Milestone(due_date=due_date, completed_on=completed_on).is_late(TODAY) is late


@pytest.mark.django_db
def test_querysets_select_open_late_due_soon_and_public():
    public = MeasureFactory(is_published=True)
    draft = MeasureFactory(is_published=False)
    late = MilestoneFactory(measure=public, due_date=dt.date(2025, 3, 1))
    done = MilestoneFactory(
        measure=public, due_date=dt.date(2025, 3, 1), completed_on=dt.date(2025, 3, 2)
    )
    today = MilestoneFactory(measure=public, due_date=TODAY)
    in_7 = MilestoneFactory(measure=public, due_date=TODAY + dt.timedelta(days=7))
    in_8 = MilestoneFactory(measure=public, due_date=TODAY + dt.timedelta(days=8))
    hidden_late = MilestoneFactory(measure=draft, due_date=dt.date(2025, 1, 1))

    assert set(Milestone.objects.open()) == {late, today, in_7, in_8, hidden_late}
    assert set(Milestone.objects.late(TODAY)) == {late, hidden_late}
    assert set(Milestone.objects.due_within(7, TODAY)) == {today, in_7}
    assert set(Milestone.objects.on_public_measures().late(TODAY)) == {late}
    assert done not in Milestone.objects.on_public_measures().open()


@pytest.mark.django_db
def test_milestones_are_listed_by_order_then_due_date():
    measure = MeasureFactory()
    b = MilestoneFactory(measure=measure, order=1, due_date=dt.date(2025, 1, 1))
    c = MilestoneFactory(measure=measure, order=1, due_date=dt.date(2025, 2, 1))
    a = MilestoneFactory(measure=measure, order=0, due_date=dt.date(2026, 1, 1))

    assert list(measure.milestones.all()) == [a, b, c]


@pytest.mark.django_db
def test_decision_querysets_and_constraint():
    pending = DecisionFactory()
    decided = DecisionFactory(decided_on=TODAY, decision="Ja.")

    assert list(Decision.objects.pending()) == [pending]
    assert list(Decision.objects.decided()) == [decided]
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(decided_on=TODAY, decision="")  # a date without a text
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(decided_on=None, decision="Ja.")  # a text without a date


# --- The stale rule -----------------------------------------------------------------------------


def _measure(status: Status, last: dt.datetime | None) -> Measure:
    return Measure(status=status, last_status_update_at=last)


OLD = dt.datetime(2024, 1, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.STOPPED])
def test_completed_and_stopped_measures_are_never_stale(status):
    assert measure_is_stale(_measure(status, None), today=TODAY) is False
    assert measure_is_stale(_measure(status, OLD), today=TODAY) is False


def test_an_ended_programme_flags_nothing_after_its_end():
    measure = _measure(Status.ON_TRACK, OLD)

    assert measure_is_stale(measure, today=TODAY, programme_end=dt.date(2025, 3, 31)) is False
    assert measure_is_stale(measure, today=TODAY, programme_end=TODAY) is True
    assert measure_is_stale(measure, today=TODAY, programme_end=dt.date(2027, 1, 1)) is True


@pytest.mark.django_db
def test_the_programme_end_is_read_through_the_focus_area():
    ended = ProgrammeFactory(start=dt.date(2018, 11, 1), end=dt.date(2021, 12, 31))
    measure = MeasureFactory(
        focus_area=FocusAreaFactory(programme=ended), status=Status.ON_TRACK, progress=10
    )
    running = MeasureFactory(status=Status.ON_TRACK, progress=10)

    assert measure_is_stale(measure, today=TODAY) is False
    assert measure_is_stale(running, today=TODAY) is True


def test_the_limit_is_the_setting():
    measure = _measure(Status.ON_TRACK, dt.datetime(2025, 3, 1, 12, tzinfo=UTC))  # 31 days

    with override_settings(STALE_DAYS=30):
        assert measure_is_stale(measure, today=TODAY) is True
    with override_settings(STALE_DAYS=31):
        assert measure_is_stale(measure, today=TODAY) is False
    assert measure_is_stale(measure, today=TODAY) is False  # the default, 90


@pytest.mark.parametrize(
    ("last", "text"),
    [
        (dt.date(2025, 4, 1), "i dag"),
        (dt.date(2025, 3, 31), "for 1 dag siden"),
        (dt.date(2024, 12, 27), "for 95 dager siden"),
        (dt.date(2024, 12, 1), "for 4 måneder siden"),
        (dt.date(2024, 3, 15), "for 12 måneder siden"),
        (dt.date(2023, 4, 2), "for 23 måneder siden"),
        (dt.date(2021, 3, 1), "for 4 år siden"),
        # A date and time is read as the local date: 23:30 UTC is already the next day in Oslo.
        (dt.datetime(2025, 3, 30, 23, 30, tzinfo=UTC), "for 1 dag siden"),
    ],
)
def test_stale_age_text(last, text):
    with translation.override("nb"):
        assert stale_age_text(last, TODAY) == text


def test_stale_age_text_is_translated():
    with translation.override("en"):
        assert stale_age_text(dt.date(2021, 3, 1), TODAY) == "4 years ago"
        assert stale_age_text(dt.date(2024, 12, 27), TODAY) == "95 days ago"


# --- Services -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_milestone_save_adds_last_and_records_history():
    user = UserFactory()
    measure = MeasureFactory()
    first = milestone_save(
        milestone=Milestone(measure=measure, title=" Avtale signert ", due_date=TODAY), user=user
    )
    second = milestone_save(
        milestone=Milestone(measure=measure, title="Første samling", due_date=TODAY), user=user
    )

    assert first.title == "Avtale signert"
    assert (first.order, second.order) == (0, 1)
    record = first.history.get()
    assert record.history_user == user
    assert record.history_change_reason == "Milepæl lagt til"

    first.title = "Avtale signert av alle"
    milestone_save(milestone=first, user=user)
    assert first.history.latest().history_change_reason == "Milepæl endret"


@pytest.mark.django_db
def test_milestone_save_renews_the_content_revision():
    measure = MeasureFactory()
    before = current_revision().number

    milestone_save(milestone=Milestone(measure=measure, title="Samling", due_date=TODAY))

    assert current_revision().number > before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "due_date", "completed_on", "field"),
    [
        ("  ", TODAY, None, "title"),
        ("Samling", None, None, "due_date"),
        ("Samling", TODAY, "tomorrow", "completed_on"),
        ("x" * 201, TODAY, None, "title"),
    ],
)
def test_milestone_save_refuses_and_writes_nothing(title, due_date, completed_on, field):
    measure = MeasureFactory()
    if completed_on == "tomorrow":
        completed_on = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        milestone_save(
            milestone=Milestone(
                measure=measure, title=title, due_date=due_date, completed_on=completed_on
            )
        )

    assert field in caught.value.message_dict
    assert not Milestone.objects.exists()


@pytest.mark.django_db
def test_milestone_complete_and_undo():
    user = UserFactory()
    milestone = MilestoneFactory(due_date=dt.date(2025, 3, 1))
    today = timezone.localdate()

    milestone_complete(milestone=milestone, on=today, user=user)
    milestone.refresh_from_db()
    assert milestone.completed_on == today
    assert milestone.history.latest().history_change_reason == "Milepæl nådd"

    milestone_complete(milestone=milestone, on=today, user=user)  # no change: no history row
    assert milestone.history.count() == 2  # created by the factory, then ticked off

    milestone_complete(milestone=milestone, on=None, user=user)
    milestone.refresh_from_db()
    assert milestone.completed_on is None
    assert milestone.history.latest().history_change_reason == "Milepæl åpnet igjen"
    assert milestone.history.latest().history_user == user


@pytest.mark.django_db
def test_milestone_cannot_be_done_in_the_future():
    milestone = MilestoneFactory()

    with pytest.raises(ValidationError):
        milestone_complete(
            milestone=milestone, on=timezone.localdate() + dt.timedelta(days=1), user=None
        )

    milestone.refresh_from_db()
    assert milestone.completed_on is None


@pytest.mark.django_db
def test_milestone_move_renumbers():
    measure = MeasureFactory()
    a, b, c = (MilestoneFactory(measure=measure, order=n) for n in (5, 6, 9))

    milestone_move(milestone=c, offset=-1)
    assert list(measure.milestones.all()) == [a, c, b]
    assert list(measure.milestones.values_list("order", flat=True)) == [0, 1, 2]

    milestone_move(milestone=a, offset=-1)  # already first: stays
    milestone_move(milestone=a, offset=5)  # past the end: last
    assert list(measure.milestones.all()) == [c, b, a]


@pytest.mark.django_db
def test_milestone_delete_keeps_it_in_the_history():
    user = UserFactory()
    milestone = MilestoneFactory(title="Studietur")
    pk = milestone.pk

    milestone_delete(milestone=milestone, user=user)

    assert not Milestone.objects.filter(pk=pk).exists()
    record = Milestone.history.filter(id=pk).latest()
    assert record.history_type == "-"
    assert record.history_user == user
    assert record.history_change_reason == "Milepæl slettet"
    assert record.title == "Studietur"


@pytest.mark.django_db
def test_decision_request_and_record():
    owner, leader = UserFactory(), UserFactory()
    measure = MeasureFactory()

    decision = decision_request(
        measure=measure, question=" Skal tiltaket forlenges?\r\n ", user=owner
    )
    assert decision.question == "Skal tiltaket forlenges?"
    assert decision.requested_by == owner
    assert list(measure.decisions.pending()) == [decision]
    assert decision.history.get().history_change_reason == "Beslutning etterspurt"

    decision_record(
        decision=decision, decided_on=dt.date(2025, 3, 1), text="Forlenget til 2026.", user=leader
    )
    decision.refresh_from_db()
    assert (decision.decided_on, decision.decision, decision.decided_by) == (
        dt.date(2025, 3, 1),
        "Forlenget til 2026.",
        leader,
    )
    assert not measure.decisions.pending().exists()
    assert decision.history.latest().history_change_reason == "Beslutning registrert"
    assert decision.history.latest().history_user == leader


@pytest.mark.django_db
def test_decision_request_needs_a_question():
    with pytest.raises(ValidationError) as caught:
        decision_request(measure=MeasureFactory(), question="   ", user=AnonymousUser())

    assert "question" in caught.value.message_dict
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_decision_record_refuses_twice_future_and_empty():
    decision = DecisionFactory()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        decision_record(decision=decision, decided_on=tomorrow, text="", user=None)
    assert set(caught.value.message_dict) == {"decided_on", "decision"}

    decision_record(decision=decision, decided_on=TODAY, text="Ja.", user=None)
    with pytest.raises(ValidationError) as caught:
        decision_record(decision=decision, decided_on=TODAY, text="Nei.", user=None)
    decision.refresh_from_db()
    assert decision.decision == "Ja."


# --- Permissions --------------------------------------------------------------------------------


def _user(group: str | None) -> User:
    user = UserFactory()
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.mark.django_db
def test_permission_matrix():
    owner_person = PersonFactory()
    owner = _user(MEASURE_OWNER)
    owner_person.user = owner
    owner_person.save()
    own = MeasureFactory(responsible=owner_person)
    co_owned = MeasureFactory()
    co_owned.co_owners.add(owner_person)
    other = MeasureFactory()
    users: dict[str, User | AnonymousUser] = {
        "owner": owner,
        "leader": _user(PROJECT_LEADER),
        "steering": _user(STEERING_GROUP),
        "no_role": _user(None),
        "anonymous": AnonymousUser(),
    }
    own_milestone = MilestoneFactory(measure=own)
    other_milestone = MilestoneFactory(measure=other)
    own_decision = DecisionFactory(measure=own)

    def may(role: str, perm: str, obj: Model) -> bool:
        return bool(users[role].has_perm(f"measures.{perm}", obj))

    for role in users:
        expected_own = role in ("owner", "leader")
        expected_other = role == "leader"
        assert may(role, "add_milestone", own) is expected_own, role
        assert may(role, "add_milestone", co_owned) is expected_own, role
        assert may(role, "add_milestone", other) is expected_other, role
        for perm in ("change_milestone", "delete_milestone"):
            assert may(role, perm, own_milestone) is expected_own, (role, perm)
            assert may(role, perm, other_milestone) is expected_other, (role, perm)
        assert may(role, "add_decision", own) is expected_own, role
        assert may(role, "add_decision", other) is expected_other, role
        assert may(role, "record_decision", own_decision) is (role in ("leader", "steering"))


@pytest.mark.django_db
def test_an_inactive_owner_may_not():
    person = PersonFactory()
    owner = _user(MEASURE_OWNER)
    person.user = owner
    person.save()
    measure = MeasureFactory(responsible=person)
    owner.is_active = False
    owner.save()

    assert not owner.has_perm("measures.add_milestone", measure)
