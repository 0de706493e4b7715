"""The rules a write to the plan must keep, each written once.

Pure functions: they read nothing from the database and write nothing. A form calls them to show
the messages next to the fields; the service calls the same function again, under the row lock,
and refuses the write when it returns anything. Messages are in Norwegian and name the values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from drivkraft.core.formatting import format_number
from measures.status import COMMENT_REQUIRED, Status, transition_allowed

if TYPE_CHECKING:
    from measures.models import Measure

# field name -> messages; an empty dict means the write may go ahead.
Errors = dict[str, list[str]]


def status_update_errors(
    *,
    measure: Measure,
    status: str,
    progress: object,
    comment: str,
    date: dt.date,
    latest_date: dt.date | None,
    today: dt.date,
    forecast_end: dt.date | None,
) -> Errors:
    """What is wrong with recording this status update on `measure` (as it is stored now).

    `latest_date` is the date of the measure's newest status update (None when it has none);
    `forecast_end` is the expected end the measure will have after the update (the one given,
    else the stored one: `forecast_end or measure.forecast_end`).
    Rules: the measure is not archived (it is kept as a record, and no longer shown); the status
    is known and the vocabulary allows the transition; progress is a whole number 0–100, and 100
    when completed; a delayed or stopped status has a comment; the date is neither in the future
    nor before the newest update; and the new state keeps the consistency rules of
    `consistency_errors` against the measure's planned start and end.
    """
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if measure.archived_at is not None:
        add(
            NON_FIELD_ERRORS,
            _(
                "Tiltaket «%(title)s» er arkivert og vises ikke på nettstedet. Et arkivert tiltak "
                "får ikke nye statusoppdateringer."
            )
            % {"title": measure.title},
        )

    try:
        new_status: Status | None = Status(status)
    except ValueError:
        add("status", _("Ukjent status: %(status)s.") % {"status": status})
        new_status = None

    if new_status is not None and not transition_allowed(measure.status, new_status):
        add(
            "status",
            _("Et tiltak kan ikke gå fra «%(old)s» til «%(new)s».")
            % {"old": Status(measure.status).label, "new": new_status.label},
        )
    whole = progress if isinstance(progress, int) and not isinstance(progress, bool) else None
    if whole is None or not 0 <= whole <= 100:
        add("progress", _("Framdriften må være mellom 0 og 100 %."))
    elif new_status == Status.COMPLETED and progress != 100:
        add("progress", _("Et gjennomført tiltak har 100 % framdrift."))
    if new_status in COMMENT_REQUIRED and not comment.strip():
        add(
            "comment",
            _("Skriv en kommentar som forklarer hvorfor tiltaket er %(status)s.")
            % {"status": str(new_status.label).lower() if new_status else ""},
        )
    if date > today:
        add("date", _("Datoen kan ikke være fram i tid."))
    if latest_date is not None and date < latest_date:
        add(
            "date",
            _("Datoen kan ikke være før siste statusoppdatering (%(date)s).")
            % {"date": latest_date.strftime("%d.%m.%Y")},
        )
    if new_status is not None and whole is not None:
        for field, messages in consistency_errors(
            status=new_status,
            progress=whole,
            forecast_end=forecast_end,
            planned_start=measure.planned_start,
            planned_end=measure.planned_end,
            today=today,
        ).items():
            errors.setdefault(field, []).extend(messages)
    return errors


def _day(date: dt.date) -> str:
    return date.strftime("%d.%m.%Y")


def consistency_errors(
    *,
    status: Status,
    progress: int,
    forecast_end: dt.date | None,
    planned_start: dt.date | None,
    planned_end: dt.date | None,
    today: dt.date,
) -> Errors:
    """Where a status contradicts the measure's dates or progress, each message naming the values
    and suggesting the status (or the date) that would be right.

    Rules: «on plan» does not expect to end after the planned end; «not started» has no progress;
    «completed» does not expect to end in the future; nothing expects to end before its planned
    start. A missing date breaks no rule. Both a new status update (`status_update_errors`) and a
    measure as it is stored (`measure_consistency_errors`) are checked by this one function.
    """
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if status == Status.ON_TRACK and forecast_end and planned_end and forecast_end > planned_end:
        add(
            "status",
            _(
                "Forventet slutt %(forecast)s er etter planlagt slutt %(planned)s. "
                "Velg «%(delayed)s», eller sett forventet slutt til %(planned)s eller tidligere."
            )
            % {
                "forecast": _day(forecast_end),
                "planned": _day(planned_end),
                "delayed": Status.DELAYED.label,
            },
        )
    if status == Status.NOT_STARTED and progress > 0:
        add(
            "status",
            _(
                "Framdriften er %(progress)s %%, men statusen er «%(not_started)s». "
                "Velg «%(on_track)s» eller «%(delayed)s», eller sett framdriften til 0 %%."
            )
            % {
                "progress": progress,
                "not_started": Status.NOT_STARTED.label,
                "on_track": Status.ON_TRACK.label,
                "delayed": Status.DELAYED.label,
            },
        )
    if status == Status.COMPLETED and forecast_end and forecast_end > today:
        add(
            "forecast_end",
            _(
                "Forventet slutt %(forecast)s er fram i tid, men statusen er «%(completed)s». "
                "Sett forventet slutt til datoen tiltaket ble ferdig (%(today)s eller tidligere), "
                "eller velg «%(on_track)s» om det ikke er ferdig ennå."
            )
            % {
                "forecast": _day(forecast_end),
                "today": _day(today),
                "completed": Status.COMPLETED.label,
                "on_track": Status.ON_TRACK.label,
            },
        )
    if forecast_end and planned_start and forecast_end < planned_start:
        add(
            "forecast_end",
            _(
                "Forventet slutt %(forecast)s er før planlagt start %(start)s. "
                "Sett forventet slutt til %(start)s eller senere."
            )
            % {"forecast": _day(forecast_end), "start": _day(planned_start)},
        )
    return errors


def measure_consistency_errors(measure: Measure, *, today: dt.date) -> Errors:
    """The consistency rules (`consistency_errors`) applied to a measure as it is stored: data
    from before the rules, or plan dates edited afterwards, may break them."""
    return consistency_errors(
        status=Status(measure.status),
        progress=measure.progress,
        forecast_end=measure.forecast_end,
        planned_start=measure.planned_start,
        planned_end=measure.planned_end,
        today=today,
    )


def indicator_value_errors(*, date: dt.date, today: dt.date, existing: Decimal | None) -> Errors:
    """What is wrong with recording a value of an indicator dated `date`.

    `existing` is the value the indicator already has that day (None when it has none).
    Rules: one value per indicator and date; not dated in the future.
    """
    errors: Errors = {}
    if date > today:
        errors.setdefault("date", []).append(_("Datoen kan ikke være fram i tid."))
    if existing is not None:
        errors.setdefault("date", []).append(
            _(
                "Indikatoren har alt verdien %(value)s for %(date)s. Velg en annen dato; "
                "er den registrerte verdien feil, kan prosjektlederen rette den."
            )
            % {"value": format_number(existing), "date": _day(date)}
        )
    return errors


def milestone_errors(
    *, title: str, due_date: dt.date | None, completed_on: dt.date | None, today: dt.date
) -> Errors:
    """What is wrong with saving a milestone. Rules: it has a title and a due date; it is not
    marked done on a day in the future."""
    errors: Errors = {}
    if not title.strip():
        errors.setdefault("title", []).append(_("Skriv hva milepælen er."))
    if due_date is None:
        errors.setdefault("due_date", []).append(_("Milepælen trenger en frist."))
    if completed_on is not None and completed_on > today:
        errors.setdefault("completed_on", []).append(
            _("En milepæl kan ikke være fullført %(date)s, fram i tid. I dag er %(today)s.")
            % {"date": _day(completed_on), "today": _day(today)}
        )
    return errors


def decision_request_errors(*, question: str) -> Errors:
    """What is wrong with asking the steering group for a decision: the question is said."""
    if not question.strip():
        return {"question": [_("Skriv kort hva styringsgruppen skal ta stilling til.")]}
    return {}


def decision_record_errors(
    *, already_decided_on: dt.date | None, decided_on: dt.date | None, text: str, today: dt.date
) -> Errors:
    """What is wrong with recording a decision. Rules: it is not recorded already (a decision
    is a record, not changed afterwards); it has a date, not in the future, and a text."""
    errors: Errors = {}
    if already_decided_on is not None:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("Beslutningen ble alt registrert %(date)s.") % {"date": _day(already_decided_on)}
        )
    if decided_on is None:
        errors.setdefault("decided_on", []).append(_("Skriv datoen beslutningen ble tatt."))
    elif decided_on > today:
        errors.setdefault("decided_on", []).append(
            _("Beslutningsdatoen %(date)s er fram i tid. I dag er %(today)s.")
            % {"date": _day(decided_on), "today": _day(today)}
        )
    if not text.strip():
        errors.setdefault("decision", []).append(_("Skriv hva som ble besluttet."))
    return errors
