"""Everything that writes to the plan goes through these functions."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from measures.importing import ImportRow
from measures.models import Decision, Indicator, IndicatorValue, Measure, Milestone, StatusUpdate
from measures.selectors import latest_status_update_date
from measures.status import Status
from measures.validation import (
    decision_record_errors,
    decision_request_errors,
    indicator_value_errors,
    milestone_errors,
    status_update_errors,
)
from teams.selectors import display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class MeasureConflictError(ValidationError):
    """The measure changed after the form was opened; nothing was written.

    Raised while the row is locked, so it is built from the locked row alone, without a query;
    `changes` (who changed what meanwhile) is read from the history only when a caller asks,
    after the transaction has ended.
    """

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

    @cached_property
    def changes(self) -> list[Change]:
        return measure_changes_since(measure=self.measure, version=self.expected_version)


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

    Guarantees: every rule of `measures.validation.status_update_errors` holds (an allowed
    transition; a comment when delayed or stopped; 100 % when completed; not dated in the future
    nor before the latest update; a status that agrees with the expected end, the planned dates
    and the progress); `forecast_end` left out keeps the stored one; when `expected_version` is
    given and the measure has changed since, nothing is written and `MeasureConflictError` is
    raised. The measure row is locked for the whole transaction, so concurrent updates to one
    measure are applied one after the other.
    Raises `ValidationError` (with field names) when any rule is broken; nothing is written then.
    """
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if expected_version is not None and locked.version != expected_version:
        raise MeasureConflictError(measure=locked, expected_version=expected_version)

    today = timezone.localdate()
    date = date or today
    comment = comment.strip()
    forecast_end = forecast_end or locked.forecast_end
    errors = status_update_errors(
        measure=locked,
        status=status,
        progress=progress,
        comment=comment,
        date=date,
        latest_date=latest_status_update_date(measure=locked),
        today=today,
        forecast_end=forecast_end,
    )
    if errors:
        raise ValidationError(errors)
    new_status = Status(status)

    update = StatusUpdate.objects.create(
        measure=locked,
        date=date,
        previous_status=locked.status,
        status=new_status,
        progress=progress,
        forecast_end=forecast_end,
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


# Bookkeeping of a save, not content: a save that changes only these changes nothing.
_BOOKKEEPING_FIELDS = {"id", "version", "updated_at"}


def _fields_differ(measure: Measure, stored: Measure) -> bool:
    return any(
        getattr(measure, field.attname) != getattr(stored, field.attname)
        for field in Measure._meta.concrete_fields
        if field.name not in _BOOKKEEPING_FIELDS
    )


@transaction.atomic
def measure_save(
    *,
    measure: Measure,
    expected_version: int | None,
    user: Any = None,
    reason: str = "",
    relations_changed: bool = False,
) -> Measure:
    """Save an edited measure, refusing it when someone else saved the measure in the meantime.

    Guarantees: nothing is written when `expected_version` is older than the stored version
    (`MeasureConflictError`, with what changed); nothing is written either when no field differs
    from the stored measure and the caller says its many-to-many relations did not change
    (`relations_changed`, saved by the caller after this): no new version, no history row, no
    new content revision. Otherwise the version goes up by one and the history records who saved
    it.
    """
    if measure.pk is not None:
        stored = Measure.objects.select_for_update().get(pk=measure.pk)
        if expected_version is not None and stored.version != expected_version:
            raise MeasureConflictError(measure=stored, expected_version=expected_version)
        if not relations_changed and not _fields_differ(measure, stored):
            measure.version = stored.version
            return measure
        measure.version = stored.version + 1
    _save_with_history(measure, user=user, reason=reason)
    return measure


@transaction.atomic
def measure_description_update(
    *, measure: Measure, description: str, expected_version: int, user: Any = None
) -> bool:
    """Replace a measure's description («Om tiltaket», Markdown), as its owner does on Min side.

    Guarantees: nothing is written when the text is unchanged (surrounding white space and line
    endings aside), and False is returned; otherwise, when `expected_version` is not the stored
    version, nothing is written and `MeasureConflictError` is raised (with what changed); else
    the description is saved, the version goes up by one, the history records who changed it
    and why, and True is returned. The row is locked for the whole transaction.
    """
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    text = description.replace("\r\n", "\n").strip()
    if text == locked.description.replace("\r\n", "\n").strip():
        return False
    if locked.version != expected_version:
        raise MeasureConflictError(measure=locked, expected_version=expected_version)
    locked.description = text
    locked.version += 1
    _save_with_history(locked, user=user, reason=_("Beskrivelsen er endret"))
    measure.refresh_from_db()
    return True


@transaction.atomic
def indicator_value_create(
    *, indicator: Indicator, date: dt.date, value: Decimal, note: str = "", user: Any = None
) -> IndicatorValue:
    """Record a measured value of an indicator.

    Guarantees: every rule of `measures.validation.indicator_value_errors` holds (one value per
    indicator and date, not dated in the future) and the value fits its field; otherwise
    `ValidationError` (with field names) is raised and nothing is written. The indicator row is
    locked, so two values for one date arriving together are refused, never a server error.
    """
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    today = timezone.localdate()

    def refuse_if_broken() -> None:
        existing = (
            IndicatorValue.objects.filter(indicator=locked, date=date)
            .values_list("value", flat=True)
            .first()
        )
        errors = indicator_value_errors(date=date, today=today, existing=existing)
        if errors:
            raise ValidationError(errors)

    refuse_if_broken()
    row = IndicatorValue(indicator=locked, date=date, value=value, note=note.strip())
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            _save_with_history(row, user=user, reason=_("Verdi registrert"))
    except IntegrityError:
        # Only where rows cannot be locked (SQLite) can a twin get in between; say so plainly.
        refuse_if_broken()
        raise
    return row


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


@transaction.atomic
def measure_import(*, rows: list[ImportRow], user: Any = None) -> tuple[int, int]:
    """Create new measures as drafts and update existing ones' plan, all or nothing.

    Status, progress and publishing are never touched: they have their own workflow.
    Returns (created, updated).
    """
    created = updated = 0
    existing = {
        m.slug: m
        for m in Measure.objects.select_for_update().filter(slug__in=[r.slug for r in rows])
    }
    for row in rows:
        measure = existing.get(row.slug) or Measure(slug=row.slug, is_published=False)
        is_new = measure.pk is None
        measure.title = row.title
        measure.focus_area_id = row.focus_area_id
        measure.goal_id = row.goal_id
        measure.summary = row.summary
        measure.description = row.description
        measure.strategy = row.strategy
        measure.expected_result = row.expected_result
        measure.planned_start = (
            dt.date.fromisoformat(row.planned_start) if row.planned_start else None
        )
        measure.planned_end = dt.date.fromisoformat(row.planned_end) if row.planned_end else None
        measure.responsible_id = row.responsible_id
        if not is_new:
            measure.version += 1
        measure.full_clean(exclude=["slug"] if not is_new else None, validate_unique=is_new)
        _save_with_history(measure, user=user, reason=_("Importert fra fil"))
        measure.municipalities.set(row.municipality_ids)
        measure.partners.set(row.partner_ids)
        if is_new:
            created += 1
        else:
            updated += 1
    return created, updated


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def milestone_save(*, milestone: Milestone, user: Any = None) -> Milestone:
    """Add a milestone to its measure, or save an edited one.

    Guarantees: every rule of `measures.validation.milestone_errors` holds (a title, a due date,
    not done in the future) and the fields fit; otherwise `ValidationError` (with field names)
    is raised and nothing is written. A new milestone without an order goes last. The history
    records who saved it and why; the public content's revision is renewed.
    """
    milestone.title = milestone.title.strip()
    _refuse(
        milestone_errors(
            title=milestone.title,
            due_date=milestone.due_date,
            completed_on=milestone.completed_on,
            today=timezone.localdate(),
        )
    )
    is_new = milestone.pk is None
    if is_new and not milestone.order:
        last = (
            Milestone.objects.filter(measure_id=milestone.measure_id)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        milestone.order = 0 if last is None else last + 1
    milestone.full_clean(validate_unique=False, validate_constraints=False)
    _save_with_history(
        milestone,
        user=user,
        reason=_("Milepæl lagt til") if is_new else _("Milepæl endret"),
    )
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, on: dt.date | None, user: Any = None) -> Milestone:
    """Tick a milestone off as done `on` that day, or, with `on=None`, undo that.

    Guarantees: not done on a day in the future (`ValidationError`, nothing written); nothing
    is written when the milestone already is in that state; the history records who ticked it
    off or undid it.
    """
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    _refuse(
        milestone_errors(
            title=locked.title,
            due_date=locked.due_date,
            completed_on=on,
            today=timezone.localdate(),
        )
    )
    if locked.completed_on != on:
        locked.completed_on = on
        _save_with_history(
            locked,
            user=user,
            reason=_("Milepæl nådd") if on is not None else _("Milepæl åpnet igjen"),
        )
    milestone.completed_on = locked.completed_on
    return locked


@transaction.atomic
def milestone_move(*, milestone: Milestone, offset: int, user: Any = None) -> None:
    """Move a milestone `offset` places up (negative) or down (positive) among its measure's
    milestones. The orders become 0, 1, 2 … in the new sequence; each milestone whose order
    changes gets a history row."""
    siblings = list(
        Milestone.objects.select_for_update()
        .filter(measure_id=milestone.measure_id)
        .order_by("order", "due_date", "pk")
    )
    index = next(i for i, m in enumerate(siblings) if m.pk == milestone.pk)
    moved = siblings.pop(index)
    siblings.insert(max(0, min(len(siblings), index + offset)), moved)
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            _save_with_history(sibling, user=user, reason=_("Rekkefølgen er endret"))


@transaction.atomic
def milestone_delete(*, milestone: Milestone, user: Any = None) -> None:
    """Delete a milestone; the history keeps it, with who deleted it."""
    if user is not None and getattr(user, "is_authenticated", False):
        milestone._history_user = user  # type: ignore[attr-defined]
    milestone._change_reason = _("Milepæl slettet")  # type: ignore[attr-defined]
    milestone.delete()


@transaction.atomic
def decision_request(*, measure: Measure, question: str, user: Any = None) -> Decision:
    """Mark a measure as needing a decision of the steering group («Trenger beslutning»).

    Guarantees: the question is said (`measures.validation.decision_request_errors`) and fits
    its field, else `ValidationError` and nothing written; the decision is pending until
    `decision_record`; the history records who asked.
    """
    decision = Decision(
        measure=measure,
        question=question.replace("\r\n", "\n").strip(),
        requested_by=user if isinstance(user, get_user_model()) else None,
    )
    _refuse(decision_request_errors(question=decision.question))
    decision.full_clean(validate_unique=False, validate_constraints=False)
    _save_with_history(decision, user=user, reason=_("Beslutning etterspurt"))
    return decision


@transaction.atomic
def decision_record(
    *, decision: Decision, decided_on: dt.date | None, text: str, user: Any = None
) -> Decision:
    """Record the steering group's decision (date and text) on a pending request.

    Guarantees: every rule of `measures.validation.decision_record_errors` holds (not recorded
    already, a date not in the future, a text), else `ValidationError` and nothing written. The
    row is locked, so two people recording at once cannot both succeed. The decision then joins
    the measure's public timeline; the history records who recorded it.
    """
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    text = text.replace("\r\n", "\n").strip()
    _refuse(
        decision_record_errors(
            already_decided_on=locked.decided_on,
            decided_on=decided_on,
            text=text,
            today=timezone.localdate(),
        )
    )
    locked.decided_on = decided_on
    locked.decision = text
    locked.decided_by = user if isinstance(user, get_user_model()) else None
    locked.full_clean(validate_unique=False, validate_constraints=False)
    _save_with_history(locked, user=user, reason=_("Beslutning registrert"))
    decision.decided_on, decision.decision = locked.decided_on, locked.decision
    decision.decided_by = locked.decided_by
    return locked
