"""Forms of the plan shared by the admin and Min side: the status update and its conflict lines.

Every rule is in `measures.validation`; a form only shows its messages next to the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import Measure
from measures.selectors import latest_status_update_date
from measures.services import Change
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
        self.fields["status"].choices = [(s.value, s.label) for s in Status if s in allowed]  # type: ignore[attr-defined]

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
