"""Everything that writes to the plan goes through these functions."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure, StatusUpdate
from measures.status import COMMENT_REQUIRED, Status, transition_allowed
from teams.selectors import display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class StaleVersionError(ValidationError):
    """The measure changed after the form was opened; the caller must reload and try again."""

    def __init__(self, *, measure: Measure, expected_version: int) -> None:
        self.measure = measure
        self.expected_version = expected_version
        super().__init__(
            _(
                "Tiltaket «%(title)s» er endret av noen andre siden du åpnet skjemaet "
                "(versjon %(current)s, du hadde versjon %(expected)s). Se endringene og prøv igjen."
            )
            % {"title": measure.title, "current": measure.version, "expected": expected_version},
            code="stale_version",
        )


def _moment_of(date: dt.date) -> dt.datetime:
    """When an update dated `date` happened: now if dated today, else midday on that day."""
    if date == timezone.localdate():
        return timezone.now()
    return dt.datetime.combine(date, dt.time(12), tzinfo=timezone.get_current_timezone())


def _save_with_history(obj: Any, *, user: Any = None, reason: str = "") -> None:
    """Save through the model so that django-simple-history records who changed what, and why."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.save()


@transaction.atomic
def status_update_create(
    *,
    measure: Measure,
    status: str,
    progress: int,
    comment: str = "",
    date: dt.date | None = None,
    forecast_end: dt.date | None = None,
    author: User | AnonymousUser | None = None,
    author_name: str = "",
    expected_version: int | None = None,
) -> StatusUpdate:
    """Record a status update and make it the measure's current status, in one transaction.

    Guarantees: the transition is allowed by the status vocabulary; a delayed or stopped status has
    a comment; a completed one has 100 % progress; the update is not dated in the future nor before
    the measure's latest update; when `expected_version` is given and the measure has changed since,
    nothing is written and `StaleVersionError` is raised. The measure row is locked for the whole
    transaction, so concurrent updates to one measure are applied one after the other.
    Raises `ValidationError` (with field names) when any rule is broken; nothing is written then.
    """
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if expected_version is not None and locked.version != expected_version:
        raise MeasureConflictError(measure=locked, expected_version=expected_version)

    today = timezone.localdate()
    date = date or today
    comment = comment.strip()
    errors: dict[str, list[str]] = {}

    try:
        new_status = Status(status)
    except ValueError:
        errors.setdefault("status", []).append(_("Ukjent status: %(status)s.") % {"status": status})
        new_status = None

    if new_status is not None and not transition_allowed(locked.status, new_status):
        errors.setdefault("status", []).append(
            _("Et tiltak kan ikke gå fra «%(old)s» til «%(new)s».")
            % {"old": Status(locked.status).label, "new": new_status.label}
        )
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        errors.setdefault("progress", []).append(_("Framdriften må være mellom 0 og 100 %."))
    elif new_status == Status.COMPLETED and progress != 100:
        errors.setdefault("progress", []).append(_("Et gjennomført tiltak har 100 % framdrift."))
    if new_status in COMMENT_REQUIRED and not comment:
        errors.setdefault("comment", []).append(
            _("Skriv en kommentar som forklarer hvorfor tiltaket er %(status)s.")
            % {"status": str(new_status.label).lower() if new_status else ""}
        )
    if date > today:
        errors.setdefault("date", []).append(_("Datoen kan ikke være fram i tid."))
    latest = locked.status_updates.order_by("-date").values_list("date", flat=True).first()
    if latest is not None and date < latest:
        errors.setdefault("date", []).append(
            _("Datoen kan ikke være før siste statusoppdatering (%(date)s).")
            % {"date": latest.strftime("%d.%m.%Y")}
        )
    if errors:
        raise ValidationError(errors)
    assert new_status is not None  # noqa: S101 - narrowed by the checks above

    update = StatusUpdate.objects.create(
        measure=locked,
        date=date,
        previous_status=locked.status,
        status=new_status,
        progress=progress,
        forecast_end=forecast_end or locked.forecast_end,
        comment=comment,
        author=author if isinstance(author, get_user_model()) else None,
        author_name=author_name or display_name(author),
    )
    locked.status = new_status
    locked.progress = progress
    locked.forecast_end = update.forecast_end
    locked.last_status_update_at = _moment_of(date)
    locked.version += 1
    _save_with_history(
        locked,
        user=author,
        reason=_("Statusoppdatering: %(status)s, %(progress)s %%")
        % {"status": new_status.label, "progress": progress},
    )
    measure.refresh_from_db()
    return update


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class Change:
    """One saved version of a measure: who saved it, when, and what it changed."""

    version: int
    user: str
    at: dt.datetime
    reason: str
    fields: list[FieldChange]


def measure_changes_since(*, measure: Measure, version: int) -> list[Change]:
    """What others saved after `version`, oldest first, field by field (from the history)."""
    records = list(
        measure.history.filter(version__gte=version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes = []
    for previous, record in itertools.pairwise(records):
        if record.version <= version:
            continue
        delta = record.diff_against(previous, excluded_fields=["updated_at", "version"])
        fields = [
            FieldChange(
                field=str(getattr(Measure._meta.get_field(c.field), "verbose_name", c.field)),
                old=_display(c.old),
                new=_display(c.new),
            )
            for c in delta.changes
        ]
        user = record.history_user
        changes.append(
            Change(
                version=record.version,
                user=display_name(user) or _("ukjent"),
                at=record.history_date,
                reason=record.history_change_reason or "",
                fields=fields,
            )
        )
    return changes


def _display(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):  # many-to-many: list of through-row dicts
        return ", ".join(str(v) for v in value) or "–"
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


class MeasureConflictError(StaleVersionError):
    """A save from a stale form; `changes` says what the other person changed meanwhile."""

    def __init__(self, *, measure: Measure, expected_version: int) -> None:
        super().__init__(measure=measure, expected_version=expected_version)
        self.changes = measure_changes_since(measure=measure, version=expected_version)


@transaction.atomic
def measure_save(
    *, measure: Measure, expected_version: int | None, user: Any = None, reason: str = ""
) -> Measure:
    """Save an edited measure, refusing it when someone else saved the measure in the meantime.

    Guarantees: nothing is written when `expected_version` is older than the stored version
    (`MeasureConflictError`, with what changed); otherwise the version goes up by one and the
    history records who saved it.
    """
    if measure.pk is not None:
        stored = Measure.objects.select_for_update().get(pk=measure.pk)
        if expected_version is not None and stored.version != expected_version:
            raise MeasureConflictError(measure=stored, expected_version=expected_version)
        measure.version = stored.version + 1
    _save_with_history(measure, user=user, reason=reason)
    return measure


@transaction.atomic
def measure_set_published(*, measures: Iterable[Measure], published: bool, user: Any = None) -> int:
    """Publish or unpublish measures, one history row each. Returns how many changed."""
    changed = 0
    # Locked in primary-key order: two such calls on overlapping measures wait, never deadlock.
    for measure in (
        Measure.objects.select_for_update()
        .filter(pk__in=[m.pk for m in measures], is_published=not published)
        .order_by("pk")
    ):
        measure.is_published = published
        measure.version += 1
        _save_with_history(
            measure, user=user, reason=_("Publisert") if published else _("Avpublisert")
        )
        changed += 1
    return changed


@transaction.atomic
def measure_archive(*, measures: Iterable[Measure], user: Any = None) -> int:
    """Archive measures instead of deleting them: hidden from the public, the timeline kept."""
    changed = 0
    for measure in (
        Measure.objects.select_for_update()
        .filter(pk__in=[m.pk for m in measures], archived_at__isnull=True)
        .order_by("pk")  # the same lock order as measure_set_published
    ):
        measure.archived_at = timezone.now()
        measure.version += 1
        _save_with_history(measure, user=user, reason=_("Arkivert"))
        changed += 1
    return changed
