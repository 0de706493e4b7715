"""Who gets a reminder, what it says, and how often: with the locmem mail backend."""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import parseaddr
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command

from measures.models import FocusArea, Measure, Programme
from measures.status import Status
from reminders.models import ReminderKind, ReminderPreference, ReminderSent
from reminders.selectors import digests, measure_reminder
from reminders.services import reminder_preference_set, reminders_send
from teams.models import Person
from teams.roles import MEASURE_OWNER, PROJECT_LEADER
from tests.measures.factories import MilestoneFactory
from tests.teams.factories import PersonFactory

from .conftest import NOW, TODAY, days_ago, make_user, running_measure

SITE = "https://drivkraft.example.no"


def send(*, today: dt.date = TODAY, now: dt.datetime = NOW) -> list[str]:
    return reminders_send(today=today, now=now).sent


def only_message() -> EmailMultiAlternatives:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    return message


def html_of(message: EmailMultiAlternatives) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(content)


# What an owner is reminded of ---------------------------------------------------------------


def test_an_owner_gets_one_digest_of_a_stale_measure_with_a_link_to_its_form(stale_measure):
    assert send() == ["kari@example.org"]

    message = only_message()
    assert message.to == ["kari@example.org"]
    assert parseaddr(message.from_email)[1] == "ikke-svar@drivkraft.example.no"
    assert message.subject == "Påminnelse fra Program Drivkraft: 1 tiltak trenger deg"
    status_url = f"{SITE}/min-side/tiltak/laerlingloftet/status/"
    assert "Hei, Kari Nordmann!" in message.body
    assert "Lærlingløftet" in message.body
    assert "Sist oppdatert 17.12.2025, for 75 dager siden." in message.body
    assert f"Oppdater status: {status_url}" in message.body
    html = html_of(message)
    assert f'href="{status_url}"' in html
    assert "Sist oppdatert 17.12.2025, for 75 dager siden." in html
    assert '<html lang="nb">' in html


def test_a_measure_never_updated_is_named_as_such(area, owner_person, owner):
    running_measure(area, owner_person, title="Aldri oppdatert", last_status_update_at=None)
    send()
    assert "Tiltaket har aldri fått en statusoppdatering." in only_message().body


def test_a_measure_updated_within_the_reminder_period_is_not_named(area, owner_person, owner):
    running_measure(area, owner_person, last_status_update_at=days_ago(59))
    assert send() == []
    assert mail.outbox == []


def test_the_reminder_period_is_a_setting(area, owner_person, owner, settings):
    settings.REMINDER_DAYS = 30
    running_measure(area, owner_person, title="Tretti dager", last_status_update_at=days_ago(31))
    send()
    assert "Tretti dager" in only_message().body


def test_an_expected_end_after_the_planned_end_on_plan_is_named_with_the_rules_message(
    area, owner_person, owner
):
    running_measure(
        area,
        owner_person,
        title="Sen prognose",
        slug="sen-prognose",
        planned_end=dt.date(2026, 6, 30),
        forecast_end=dt.date(2026, 9, 30),
    )
    send()
    body = only_message().body
    # measures.validation's consistency rule, word for word.
    assert (
        "Forventet slutt 30.09.2026 er etter planlagt slutt 30.06.2026. Velg «Forsinket», eller "
        "sett forventet slutt til 30.06.2026 eller tidligere." in body
    )
    assert f"{SITE}/min-side/tiltak/sen-prognose/status/" in body


def test_a_delayed_measure_expected_late_is_not_named_for_its_forecast(area, owner_person, owner):
    running_measure(
        area,
        owner_person,
        status=Status.DELAYED,
        planned_end=dt.date(2026, 6, 30),
        forecast_end=dt.date(2026, 9, 30),
    )
    assert send() == []


def test_late_milestones_and_those_due_within_seven_days_are_named_with_their_form(
    area, owner_person, owner
):
    measure = running_measure(area, owner_person, title="Med milepæler", slug="med-milepaeler")
    late = MilestoneFactory(measure=measure, title="Forprosjekt", due_date=dt.date(2026, 2, 20))
    soon = MilestoneFactory(measure=measure, title="Søknad sendt", due_date=dt.date(2026, 3, 9))
    MilestoneFactory(measure=measure, title="Idag-frist", due_date=TODAY)
    MilestoneFactory(measure=measure, title="Om åtte dager", due_date=dt.date(2026, 3, 10))
    MilestoneFactory(
        measure=measure,
        title="Allerede nådd",
        due_date=dt.date(2026, 2, 1),
        completed_on=dt.date(2026, 2, 1),
    )

    send()

    message = only_message()
    body = message.body
    assert "Milepælen «Forprosjekt» skulle vært nådd 20.02.2026, for 10 dager siden." in body
    assert "Milepælen «Søknad sendt» har frist 09.03.2026, om 7 dager." in body
    assert "Milepælen «Idag-frist» har frist i dag." in body
    assert "Om åtte dager" not in body
    assert "Allerede nådd" not in body
    base = f"{SITE}/min-side/tiltak/med-milepaeler/milepaeler/"
    assert f"Oppdater milepælene: {base}#milepael-{late.pk}" in body
    assert f'href="{base}#milepael-{soon.pk}"' in html_of(message)
    assert ReminderSent.objects.get().items == [
        {
            "part": "own",
            "measure": "med-milepaeler",
            "items": ["milestone-late", "milestone-due", "milestone-due"],
        }
    ]


def test_milestones_of_a_completed_measure_are_not_named(area, owner_person, owner):
    measure = running_measure(area, owner_person, status=Status.COMPLETED, progress=100)
    MilestoneFactory(measure=measure, due_date=dt.date(2026, 2, 20))
    assert send() == []


def test_a_reminder_for_one_measure_reads_its_milestones_itself(area, owner_person):
    measure = running_measure(area, owner_person)
    MilestoneFactory(measure=measure, title="Egen", due_date=dt.date(2026, 3, 3))
    MilestoneFactory(title="Et annet tiltaks", due_date=dt.date(2026, 3, 3))
    row = measure_reminder(Measure.objects.get(pk=measure.pk), today=TODAY)
    assert [item.code for item in row.items] == ["milestone-due"]
    assert "«Egen»" in row.items[0].text


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.STOPPED])
def test_completed_and_stopped_measures_are_never_named(area, owner_person, owner, status):
    progress = 100 if status == Status.COMPLETED else 40
    running_measure(
        area, owner_person, status=status, progress=progress, last_status_update_at=days_ago(400)
    )
    assert send() == []
    assert mail.outbox == []


def test_archived_measures_are_not_named(area, owner_person, owner):
    running_measure(
        area, owner_person, last_status_update_at=days_ago(400), archived_at=days_ago(1)
    )
    assert send() == []


def test_an_ended_programme_reminds_nobody(programme, stale_measure, leader):
    Programme.objects.filter(pk=programme.pk).update(end=TODAY - dt.timedelta(days=1))
    assert send() == []
    assert mail.outbox == []


def test_the_programmes_last_day_still_reminds(programme, stale_measure):
    Programme.objects.filter(pk=programme.pk).update(end=TODAY)
    assert send() == ["kari@example.org"]


def test_all_of_an_owners_measures_come_in_one_mail(area, owner_person, owner, stale_measure):
    running_measure(area, owner_person, title="Annet gammelt", last_status_update_at=days_ago(90))
    send()
    message = only_message()
    assert "2 tiltak trenger deg" in message.subject
    assert "Annet gammelt" in message.body
    assert "Lærlingløftet" in message.body


def test_each_owner_gets_their_own_measures_only(area, stale_measure):
    other = PersonFactory(name="Per Annen")
    other.user = make_user("per", MEASURE_OWNER)
    other.save()
    running_measure(area, other, title="Pers tiltak", last_status_update_at=days_ago(90))
    assert sorted(send()) == ["kari@example.org", "per@example.org"]
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Pers tiltak" not in by_address["kari@example.org"]
    assert "Lærlingløftet" not in by_address["per@example.org"]


@pytest.mark.parametrize(
    "change",
    [
        {"email": ""},  # no address to send to
        {"is_active": False},
    ],
)
def test_no_mail_without_an_active_login_with_an_address(stale_measure, owner, change):
    for field, value in change.items():
        setattr(owner, field, value)
    owner.save()
    assert send() == []


def test_no_mail_to_a_login_without_a_role_that_may_update(stale_measure, owner):
    owner.groups.clear()
    assert send() == []


def test_a_person_without_a_login_gets_nothing(area):
    running_measure(area, PersonFactory(), last_status_update_at=days_ago(90))
    assert send() == []


# How often ----------------------------------------------------------------------------------


def test_running_twice_sends_nothing_twice(stale_measure):
    assert send() == ["kari@example.org"]
    assert send() == []
    assert send(now=NOW + dt.timedelta(hours=1)) == []
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_at_most_one_reminder_per_person_per_seven_days(stale_measure):
    send()
    for day in range(1, 7):
        later = NOW + dt.timedelta(days=day)
        assert send(today=TODAY + dt.timedelta(days=day), now=later) == [], day
    week_later = NOW + dt.timedelta(days=7, minutes=1)
    assert send(today=TODAY + dt.timedelta(days=7), now=week_later) == ["kari@example.org"]
    assert len(mail.outbox) == 2


def test_what_was_sent_is_recorded(stale_measure, owner):
    send()
    record = ReminderSent.objects.get()
    assert record.recipient == owner
    assert record.email == "kari@example.org"
    assert record.kind == ReminderKind.OWNER
    assert record.sent_at == NOW
    assert record.items == [{"part": "own", "measure": "laerlingloftet", "items": ["stale"]}]


def test_a_reminder_recorded_by_another_run_meanwhile_is_not_sent_again(stale_measure, owner):
    due = digests(today=TODAY, now=NOW)
    ReminderSent.objects.create(
        recipient=owner, email=owner.email, kind=ReminderKind.OWNER, sent_at=NOW, items=[]
    )
    with mock.patch("reminders.services.digests", return_value=due):
        assert send() == []
    assert mail.outbox == []


# Pausing ------------------------------------------------------------------------------------


def test_a_paused_person_gets_nothing(stale_measure, owner):
    reminder_preference_set(user=owner, paused=True)
    assert send() == []
    reminder_preference_set(user=owner, paused=False)
    assert send() == ["kari@example.org"]


def test_a_pause_made_while_the_run_is_under_way_is_respected(stale_measure, owner):
    due = digests(today=TODAY, now=NOW)
    ReminderPreference.objects.create(user=owner, paused=True)
    with mock.patch("reminders.services.digests", return_value=due):
        assert send() == []


# The project leader's weekly digest -----------------------------------------------------------


def test_the_project_leader_gets_the_programmes_attention_list(area, leader, stale_measure):
    Measure.objects.filter(pk=stale_measure.pk).update(last_status_update_at=days_ago(120))
    late = PersonFactory(name="Per Annen")
    running_measure(
        area,
        late,
        title="Forsinket bru",
        slug="forsinket-bru",
        status=Status.DELAYED,
        planned_end=dt.date(2026, 6, 30),
        forecast_end=dt.date(2026, 12, 31),
    )
    running_measure(
        area,
        late,
        title="Ferdig tiltak",
        status=Status.COMPLETED,
        progress=100,
        forecast_end=dt.date(2030, 1, 1),  # breaks a rule, but completed: not on the list
    )
    assert sorted(send()) == ["kari@example.org", "leder@example.org"]
    message = next(m for m in mail.outbox if m.to == ["leder@example.org"])
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject.startswith("Ukens oversikt fra Program Drivkraft:")
    assert "== Kompetanse ==" in message.body
    assert "Forsinket bru (ansvarlig: Per Annen)" in message.body
    assert "Lærlingløftet (ansvarlig: Kari Nordmann)" in message.body
    assert "Ferdig tiltak" not in message.body
    assert f"{SITE}/min-side/tiltak/forsinket-bru/status/" in html_of(message)
    assert ReminderSent.objects.get(email="leder@example.org").kind == ReminderKind.PROGRAMME


def test_the_leaders_digest_is_weekly(leader, stale_measure):
    Measure.objects.filter(pk=stale_measure.pk).update(last_status_update_at=days_ago(120))
    send()
    assert send(today=TODAY + dt.timedelta(days=3), now=NOW + dt.timedelta(days=3)) == []
    later = NOW + dt.timedelta(days=8)
    assert "leder@example.org" in send(today=TODAY + dt.timedelta(days=8), now=later)


def test_nothing_to_say_to_the_leader_sends_nothing(leader, area):
    running_measure(area, PersonFactory())
    assert send() == []


def test_an_owner_who_is_also_the_leader_gets_one_mail(stale_measure, owner):
    Measure.objects.filter(pk=stale_measure.pk).update(last_status_update_at=days_ago(120))
    owner.groups.add(Group.objects.get_or_create(name=PROJECT_LEADER)[0])
    send()
    message = only_message()
    assert "1 tiltak trenger deg" in message.subject
    assert "Ukens oversikt over hele programmet" in message.body
    assert ReminderSent.objects.get().kind == ReminderKind.BOTH


# Failures -----------------------------------------------------------------------------------


def test_a_failure_to_send_is_logged_not_recorded_and_tried_again(stale_measure, caplog):
    with (
        mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=OSError("no route")),
        caplog.at_level(logging.ERROR, logger="reminders.services"),
    ):
        result = reminders_send(today=TODAY, now=NOW)
    assert result.sent == []
    assert result.failed == ["kari@example.org"]
    assert "could not be sent" in caplog.text
    assert ReminderSent.objects.count() == 0

    assert send() == ["kari@example.org"]


def test_one_failure_does_not_stop_the_others(area, stale_measure):
    other = PersonFactory(name="Per Annen")
    other.user = make_user("per", MEASURE_OWNER)
    other.save()
    running_measure(area, other, last_status_update_at=days_ago(90))
    real_send = locmem.EmailBackend.send_messages

    def fail_for_kari(self: locmem.EmailBackend, messages: list[Any]) -> int:
        if messages[0].to == ["kari@example.org"]:
            raise OSError("refused")
        return real_send(self, messages)

    with mock.patch.object(locmem.EmailBackend, "send_messages", fail_for_kari):
        result = reminders_send(today=TODAY, now=NOW)
    assert result.sent == ["per@example.org"]
    assert result.failed == ["kari@example.org"]


# The command and the task ---------------------------------------------------------------------


def test_the_command_sends_and_says_so(stale_measure, capsys):
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    assert "Sendte 1 påminnelse(r)." in capsys.readouterr().out
    call_command("send_reminders")
    assert "Ingen påminnelser å sende nå." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_fails_when_a_mail_could_not_be_sent(stale_measure):
    with (
        mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=OSError("down")),
        pytest.raises(CommandError, match="prøves igjen neste gang"),
    ):
        call_command("send_reminders")


def test_the_command_needs_the_site_address(settings, stale_measure):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("send_reminders")
    assert mail.outbox == []


def test_the_command_can_queue_the_task_for_the_worker(stale_measure, capsys):
    # The tests' task backend runs a queued task at once, as a worker would later.
    call_command("send_reminders", "--queue")
    assert "lagt i køen" in capsys.readouterr().out
    assert len(mail.outbox) == 1


# Queries --------------------------------------------------------------------------------------


def test_finding_the_digests_costs_the_same_queries_for_one_or_many_measures(
    area: FocusArea,
    owner_person: Person,
    owner: Any,
    leader: Any,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    running_measure(area, owner_person, last_status_update_at=days_ago(120))
    with django_assert_max_num_queries(10) as few:
        assert len(digests(today=TODAY, now=NOW)) == 2
    for n in range(30):
        person = PersonFactory()
        person.user = make_user(f"eier{n}", MEASURE_OWNER)
        person.save()
        running_measure(area, person, last_status_update_at=days_ago(120))
        mine = running_measure(area, owner_person, last_status_update_at=days_ago(120))
        MilestoneFactory(measure=mine, due_date=TODAY)
    with django_assert_num_queries(len(few)):
        assert len(digests(today=TODAY, now=NOW)) == 32
