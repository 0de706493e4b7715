"""The one status vocabulary of the programme.

Each status has a Norwegian label, a colour, a symbol and a text, so that no page relies on colour
alone. The colours follow the old public site's traffic lights (green = completed, yellow = in
progress on plan, red = stopped) and add the states it lacked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "ikke-startet", _("Ikke startet")
    ON_TRACK = "etter-plan", _("Under arbeid etter plan")
    DELAYED = "forsinket", _("Forsinket")
    COMPLETED = "gjennomfort", _("Gjennomført")
    STOPPED = "stanset", _("Stanset")


@dataclass(frozen=True)
class StatusInfo:
    status: Status
    symbol: str
    colour: str  # hex; at least 3:1 against white (WCAG 1.4.11)
    description: Promise

    @property
    def value(self) -> str:
        return self.status.value

    @property
    def label(self) -> str:
        return str(self.status.label)


STATUS_INFO: dict[Status, StatusInfo] = {
    Status.NOT_STARTED: StatusInfo(
        Status.NOT_STARTED,
        "○",
        "#6b6b6b",
        _("Arbeidet med tiltaket har ikke begynt ennå."),
    ),
    Status.ON_TRACK: StatusInfo(
        Status.ON_TRACK,
        "◐",
        "#9a7400",
        _("Tiltaket er i gang og går etter planen."),
    ),
    Status.DELAYED: StatusInfo(
        Status.DELAYED,
        "!",
        "#c25400",
        _("Tiltaket er i gang, men ligger bak planen."),
    ),
    Status.COMPLETED: StatusInfo(
        Status.COMPLETED,
        "✓",
        "#1e7b34",
        _("Tiltaket er gjennomført."),
    ),
    Status.STOPPED: StatusInfo(
        Status.STOPPED,
        "✕",
        "#a4161a",
        _("Tiltaket er terminert, ikke iverksatt eller foreløpig stanset."),
    ),
}

# Every status in the vocabulary's order, for legends and filters.
STATUSES: list[StatusInfo] = list(STATUS_INFO.values())

# Which status may follow which. A completed measure is finished: its history is kept and it is
# not reopened. Nothing goes back to "not started" once work has begun.
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NOT_STARTED: frozenset(
        {Status.NOT_STARTED, Status.ON_TRACK, Status.DELAYED, Status.COMPLETED, Status.STOPPED}
    ),
    Status.ON_TRACK: frozenset({Status.ON_TRACK, Status.DELAYED, Status.COMPLETED, Status.STOPPED}),
    Status.DELAYED: frozenset({Status.DELAYED, Status.ON_TRACK, Status.COMPLETED, Status.STOPPED}),
    Status.STOPPED: frozenset({Status.STOPPED, Status.ON_TRACK, Status.DELAYED, Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
}

# A comment explaining why is required when a measure falls behind or stops.
COMMENT_REQUIRED: frozenset[Status] = frozenset({Status.DELAYED, Status.STOPPED})


def status_info(value: str) -> StatusInfo:
    return STATUS_INFO[Status(value)]


def transition_allowed(previous: str, new: str) -> bool:
    return Status(new) in ALLOWED_TRANSITIONS[Status(previous)]


# A stopped measure's work does not go on, so it does not count in a mean progress.
PROGRESS_EXCLUDED: frozenset[Status] = frozenset({Status.STOPPED})


def mean_progress(measures: Iterable[tuple[str, int]]) -> int | None:
    """The mean progress of (status, progress) pairs, rounded to a whole percent, leaving out
    stopped measures; None when none count. The database's version is
    `measures.selectors.distribution_annotations`, built from the same `PROGRESS_EXCLUDED`."""
    values = [progress for status, progress in measures if Status(status) not in PROGRESS_EXCLUDED]
    return round(Decimal(sum(values)) / len(values)) if values else None
