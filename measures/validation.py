"""The rules a write to the plan must keep, each written once.

Pure functions: they read nothing from the database and write nothing. A form calls them to show
the messages next to the fields; the service calls the same function again, under the row lock,
and refuses the write when it returns anything. Messages are in Norwegian and name the values.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

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
) -> Errors:
    """What is wrong with recording this status update on `measure` (as it is stored now).

    `latest_date` is the date of the measure's newest status update (None when it has none).
    Rules: the measure is not archived (it is kept as a record, and no longer shown); the status
    is known and the vocabulary allows the transition; progress is a whole number 0–100, and 100
    when completed; a delayed or stopped status has a comment; the date is neither in the future
    nor before the newest update.
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
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
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
    return errors
