"""The rules an order for a status report must keep, written once for the form and the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

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
) -> Errors:
    """What is wrong with ordering this report. Pure: reads and writes nothing.

    Rules: the scope names the target it needs (a focus area or a municipality); the period is
    not reversed and does not end in the future; a given title is not blank (`None` means that
    the title will be made from the scope and the date).
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
    return errors
