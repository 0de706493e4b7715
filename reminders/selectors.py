"""Who gets a reminder, and what it says: an owner's own measures that need them, and the
programme's attention list for the project leader. Reads only; `reminders.services` sends.

The rules are the plan's own, reused: «not updated» is `measures.models.measure_is_stale` with the
reminder period, «expected end after planned end while on plan» is `Measure.is_delayed` with the
consistency rule's message (`measures.validation.measure_consistency_errors`), milestones are
`MilestoneQuerySet.late` and `.due_within`, and the leader's list is Min side's
(`measures.selectors.programme_attention`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures.models import Measure, Milestone, Programme, measure_is_stale, stale_age_text
from measures.selectors import programme_attention
from measures.status import Status
from measures.validation import measure_consistency_errors
from reminders.models import ReminderKind, ReminderPreference, ReminderSent
from teams.roles import MEASURE_OWNER, PROJECT_LEADER

FINISHED = (Status.COMPLETED, Status.STOPPED)


def absolute_url(path: str) -> str:
    """A path of this site as a full address, for a mail read elsewhere (`SITE_URL`)."""
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class ReminderItem:
    """One thing that needs doing, with the Min side form that does it."""

    code: str  # what kind of thing, for the record: stale, forecast, milestone-late, …
    text: str
    url: str
    link_text: str


@dataclass
class MeasureReminder:
    measure: Measure
    items: list[ReminderItem] = field(default_factory=list)


@dataclass
class AreaReminder:
    """The project leader's digest: one focus area's measures that need attention."""

    name: str
    measures: list[MeasureReminder]


@dataclass
class Digest:
    """Everything one person is reminded of in one mail."""

    user: Any
    own: list[MeasureReminder] = field(default_factory=list)
    programme: list[AreaReminder] = field(default_factory=list)

    @property
    def kind(self) -> ReminderKind:
        if self.own and self.programme:
            return ReminderKind.BOTH
        return ReminderKind.OWNER if self.own else ReminderKind.PROGRAMME

    @property
    def is_empty(self) -> bool:
        return not (self.own or self.programme)

    @property
    def own_count(self) -> int:
        return len(self.own)

    @property
    def programme_count(self) -> int:
        return sum(len(area.measures) for area in self.programme)

    def record(self) -> list[dict[str, Any]]:
        """What the mail named, as stored in `ReminderSent.items`."""
        rows = [
            {"part": "own", "measure": row.measure.slug, "items": [i.code for i in row.items]}
            for row in self.own
        ]
        rows += [
            {"part": "programme", "measure": row.measure.slug, "items": [i.code for i in row.items]}
            for area in self.programme
            for row in area.measures
        ]
        return rows


def _day(date: dt.date) -> str:
    return date.strftime("%d.%m.%Y")


def _status_item(measure: Measure, code: str, text: str) -> ReminderItem:
    return ReminderItem(
        code=code,
        text=text,
        url=absolute_url(reverse("workspace:status", kwargs={"slug": measure.slug})),
        link_text=_("Oppdater status"),
    )


def _milestone_item(measure: Measure, milestone: Milestone, *, today: dt.date) -> ReminderItem:
    if milestone.due_date < today:
        code = "milestone-late"
        text = _("Milepælen «%(title)s» skulle vært nådd %(date)s, %(ago)s.") % {
            "title": milestone.title,
            "date": _day(milestone.due_date),
            "ago": stale_age_text(milestone.due_date, today),
        }
    else:
        code = "milestone-due"
        days = (milestone.due_date - today).days
        text = (
            _("Milepælen «%(title)s» har frist i dag.") % {"title": milestone.title}
            if days == 0
            else ngettext(
                "Milepælen «%(title)s» har frist %(date)s, om %(days)s dag.",
                "Milepælen «%(title)s» har frist %(date)s, om %(days)s dager.",
                days,
            )
            % {"title": milestone.title, "date": _day(milestone.due_date), "days": days}
        )
    path = reverse("workspace:milestones", kwargs={"slug": measure.slug})
    return ReminderItem(
        code=code,
        text=text,
        url=absolute_url(f"{path}#milepael-{milestone.pk}"),
        link_text=_("Oppdater milepælene"),
    )


def measure_reminder(measure: Measure, *, today: dt.date) -> MeasureReminder:
    """What an owner is reminded of about one running measure (an empty list: nothing). Its
    open milestones due within `REMINDER_MILESTONE_DAYS` or late come from `reminder_milestones`
    (prefetched by `owner_reminders`), else from the database."""
    row = MeasureReminder(measure)
    if measure_is_stale(measure, today=today, days=settings.REMINDER_DAYS):
        if measure.last_status_update_at is None:
            text = _("Tiltaket har aldri fått en statusoppdatering.")
        else:
            last = timezone.localdate(measure.last_status_update_at)
            text = _("Sist oppdatert %(date)s, %(ago)s.") % {
                "date": _day(last),
                "ago": stale_age_text(last, today),
            }
        row.items.append(_status_item(measure, "stale", text))
    if measure.status == Status.ON_TRACK and measure.is_delayed:
        for message in measure_consistency_errors(measure, today=today).get("status", []):
            row.items.append(_status_item(measure, "forecast", message))
    milestones = getattr(measure, "reminder_milestones", None)
    if milestones is None:
        milestones = _reminder_milestones(today).filter(measure=measure)
    for milestone in milestones:
        row.items.append(_milestone_item(measure, milestone, today=today))
    return row


def _reminder_milestones(today: dt.date) -> Any:
    """Open milestones that are late or due within `REMINDER_MILESTONE_DAYS`, the earliest first."""
    soon = today + dt.timedelta(days=settings.REMINDER_MILESTONE_DAYS)
    return Milestone.objects.open().filter(due_date__lte=soon).order_by("due_date", "order", "pk")


def _running_measures(today: dt.date) -> Any:
    """Measures that can still need their owner: not archived, not completed or stopped, in a
    programme that has not ended."""
    return (
        Measure.objects.filter(archived_at__isnull=True, focus_area__programme__end__gte=today)
        .exclude(status__in=FINISHED)
        .select_related("focus_area__programme")
    )


def _reachable_users(role_names: Iterable[str]) -> Any:
    """Active users with an e-mail address and one of the roles."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=list(role_names))
        .exclude(email="")
        .distinct()
    )


def owner_reminders(*, today: dt.date) -> dict[int, list[MeasureReminder]]:
    """Per user (the login of each measure's responsible person, if it may update measures):
    their running measures that need them, by title. One query."""
    owners = _reachable_users([MEASURE_OWNER, PROJECT_LEADER])
    measures = (
        _running_measures(today)
        .filter(responsible__user__in=owners.values("pk"))
        .select_related("responsible")
        .prefetch_related(
            Prefetch("milestones", _reminder_milestones(today), to_attr="reminder_milestones")
        )
        .order_by("title", "pk")
    )
    result: dict[int, list[MeasureReminder]] = {}
    for measure in measures:
        assert measure.responsible is not None  # noqa: S101 - the filter above
        row = measure_reminder(measure, today=today)
        if row.items:
            result.setdefault(measure.responsible.user_id, []).append(row)
    return result


def programme_reminders(*, today: dt.date) -> list[AreaReminder]:
    """The programme's attention list of Min side (`programme_attention`), without completed or
    stopped measures; nothing once the current programme has ended."""
    programme = Programme.objects.filter(is_current=True).first()
    if programme is None or programme.end < today:
        return []
    areas = []
    for group in programme_attention(today=today):
        rows = [
            MeasureReminder(
                row.measure,
                [_status_item(row.measure, "attention", reason) for reason in row.reasons],
            )
            for row in group.rows
            if row.measure.status not in FINISHED
        ]
        if rows:
            areas.append(AreaReminder(group.area.name, rows))
    return areas


def paused_user_ids() -> set[int]:
    return set(ReminderPreference.objects.filter(paused=True).values_list("user_id", flat=True))


def recently_reminded_user_ids(*, now: dt.datetime) -> set[int]:
    since = now - dt.timedelta(days=settings.REMINDER_INTERVAL_DAYS)
    return set(
        ReminderSent.objects.filter(sent_at__gt=since).values_list("recipient_id", flat=True)
    )


def reminders_paused(user: Any) -> bool:
    """Whether the user has paused their reminders (one query)."""
    return ReminderPreference.objects.filter(user_id=user.pk, paused=True).exists()


def digests(*, today: dt.date, now: dt.datetime) -> list[Digest]:
    """One digest per person who is due one: someone with something to be reminded of, not
    paused, and not reminded within `REMINDER_INTERVAL_DAYS`. By user id."""
    skip = paused_user_ids() | recently_reminded_user_ids(now=now)
    own = owner_reminders(today=today)
    leaders = list(_reachable_users([PROJECT_LEADER]).exclude(pk__in=skip))
    programme = programme_reminders(today=today) if leaders else []
    wanted = (set(own) | ({leader.pk for leader in leaders} if programme else set())) - skip
    users = {u.pk: u for u in get_user_model().objects.filter(Q(pk__in=wanted))}
    leader_ids = {leader.pk for leader in leaders}
    result = []
    for pk in sorted(users):
        digest = Digest(
            users[pk],
            own=own.get(pk, []),
            programme=programme if pk in leader_ids else [],
        )
        if not digest.is_empty:
            result.append(digest)
    return result
