"""The rules an order for a status report must keep, written once for the form and the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.models import Scope

# field name -> messages; an empty dict means the order may go ahead.
Errors = dict[str, list[str]]


def report_order_errors(
    *,
    scope: str,
    focus_area: Any,
    municipality: Any,
    period_start: dt.date,
    period_end: dt.date,
    today: dt.date,
    title: str | None = None,
    pending_by_user: Sequence[str] = (),
    pending: Sequence[str] = (),
) -> Errors:
    """What is wrong with ordering this report. Pure: reads and writes nothing (but the limits
    in the settings).

    Rules: the scope names the target it needs (a focus area or a municipality); the period is
    not reversed and does not end in the future; a given title is not blank (`None` means that
    the title will be made from the scope and the date); the person has fewer than
    `REPORT_MAX_PENDING_PER_USER` reports ordered and not yet finished (`pending_by_user`, their
    titles), and everyone together fewer than `REPORT_MAX_PENDING` (`pending`).
    """
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if scope == Scope.FOCUS_AREA and focus_area is None:
        add("focus_area", _("Velg et satsingsområde."))
    if scope == Scope.MUNICIPALITY and municipality is None:
        add("municipality", _("Velg en kommune."))
    if period_end < period_start:
        add("period_end", _("Perioden kan ikke slutte før den begynner."))
    if period_end > today:
        add("period_end", _("Perioden kan ikke slutte fram i tid."))
    if title is not None and not title.strip():
        add("title", _("Skriv en tittel."))
    if len(pending_by_user) >= settings.REPORT_MAX_PENDING_PER_USER:
        add(
            NON_FIELD_ERRORS,
            ngettext(
                "Du har allerede bestilt en rapport som ikke er ferdig: %(titles)s. Vent til den "
                "er utstedt eller har feilet før du bestiller en ny.",
                "Du har allerede bestilt %(count)s rapporter som ikke er ferdige: %(titles)s. "
                "Vent til en av dem er utstedt eller har feilet før du bestiller en ny.",
                len(pending_by_user),
            )
            % {"count": len(pending_by_user), "titles": _titles(pending_by_user)},
        )
    elif len(pending) >= settings.REPORT_MAX_PENDING:
        add(
            NON_FIELD_ERRORS,
            ngettext(
                "Det lages allerede %(count)s rapport: %(titles)s. Vent til den er ferdig før du "
                "bestiller en ny.",
                "Det lages allerede %(count)s rapporter: %(titles)s. Vent til en av dem er "
                "ferdig før du bestiller en ny.",
                len(pending),
            )
            % {"count": len(pending), "titles": _titles(pending)},
        )
    return errors


def _titles(titles: Sequence[str]) -> str:
    return ", ".join(f"«{title}»" for title in titles)
