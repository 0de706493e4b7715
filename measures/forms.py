"""Forms of the plan shared by the admin and Min side: the status update and its conflict lines.

Every rule is in `measures.validation`; a form only shows its messages next to the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import Measure, StatusUpdate
from measures.selectors import latest_status_update_date
from measures.services import Change, MeasureConflictError, status_update_create
from measures.status import ALLOWED_TRANSITIONS, Status
from measures.validation import status_update_errors


def conflict_messages(changes: list[Change]) -> list[str]:
    """«Who changed what» lines for a refused save, newest last."""
    lines = []
    for change in changes:
        when = timezone.localtime(change.at).strftime("%d.%m.%Y %H:%M")
        head = _("%(user)s lagret versjon %(version)s %(when)s") % {
            "user": change.user,
            "version": change.version,
            "when": when,
        }
        if change.reason:
            head += f" ({change.reason})"
        details = "; ".join(f"{f.field}: «{f.old}» → «{f.new}»" for f in change.fields)
        lines.append(f"{head}: {details}" if details else head)
    return lines


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=())
    progress = forms.IntegerField(
        label=_("Framdrift (%)"), min_value=0, max_value=100, help_text=_("Fra 0 til 100.")
    )
    date = forms.DateField(
        label=_("Dato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Når statusen gjaldt fra. Ikke fram i tid."),
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Hva har skjedd? Påkrevd når tiltaket er forsinket eller stanset."),
    )
    forecast_end = forms.DateField(
        label=_("Forventet slutt"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        help_text=_("Når tiltaket nå ventes ferdig."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": measure.status,
                "progress": measure.progress,
                "date": timezone.localdate(),
                "forecast_end": measure.forecast_end,
                "expected_version": measure.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.measure = measure
        allowed = ALLOWED_TRANSITIONS[Status(measure.status)]
        # `fields` holds copies of the declared fields, typed only as `Field`; this one is the
        # ChoiceField declared above.
        status = cast("forms.ChoiceField", self.fields["status"])
        status.choices = [(s.value, s.label) for s in Status if s in allowed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(cleaned.get(name) is None for name in ("status", "progress", "date")):
            return cleaned  # a required field is missing or malformed: its own error says so
        errors = status_update_errors(
            measure=self.measure,
            status=cleaned["status"],
            progress=cleaned["progress"],
            comment=cleaned.get("comment") or "",
            date=cleaned["date"],
            latest_date=latest_status_update_date(measure=self.measure),
            today=timezone.localdate(),
            # As the service does: a blank expected end keeps the stored one.
            forecast_end=cleaned.get("forecast_end") or self.measure.forecast_end,
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return cleaned


def takes_status_updates(measure: Measure) -> bool:
    """Whether a status form is offered at all: not for an archived measure (a record) nor a
    completed one (final). The service refuses both anyway (`status_update_errors`)."""
    return measure.archived_at is None and bool(ALLOWED_TRANSITIONS[Status(measure.status)])


@dataclass
class StatusSave:
    """What saving a status form gave: the update when it was saved, else the form to show again
    (with the errors) and the measure as it is now."""

    measure: Measure
    form: StatusUpdateForm
    update: StatusUpdate | None = None


def status_form_save(
    *, measure: Measure, data: QueryDict, author: Any, form_class: type[StatusUpdateForm]
) -> StatusSave:
    """Check a posted status form and save it through `status_update_create`: the one way the
    admin and Min side record a status update.

    On a conflict (someone saved since the form was opened) the form comes back with what the
    user typed, checked against the measure as it is now and carrying its current version, so
    that saving again after reading the others' changes (the form's first errors) goes through.
    A rule the service refuses lands at its field."""
    form = form_class(data, measure=measure)
    if not takes_status_updates(measure) or not form.is_valid():
        return StatusSave(measure=measure, form=form)
    cleaned = form.cleaned_data
    try:
        update = status_update_create(
            measure=measure,
            status=cleaned["status"],
            progress=cleaned["progress"],
            comment=cleaned["comment"],
            date=cleaned["date"],
            forecast_end=cleaned["forecast_end"],
            author=author,
            expected_version=cleaned["expected_version"],
        )
    except MeasureConflictError as error:
        current = Measure.objects.select_related("focus_area").get(pk=measure.pk)
        posted = data.copy()
        posted["expected_version"] = str(current.version)
        form = form_class(posted, measure=current)
        form.is_valid()  # the user's own input, checked against the measure as it is now
        form.add_error(None, error.messages[0])
        for line in conflict_messages(error.changes):
            form.add_error(None, line)
        return StatusSave(measure=current, form=form)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return StatusSave(measure=measure, form=form)
    return StatusSave(measure=measure, form=form, update=update)
