from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import FocusArea
from reports.models import Scope
from reports.validation import report_order_errors
from teams.models import Municipality


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Hva rapporten gjelder"), choices=Scope.choices, widget=forms.RadioSelect
    )
    focus_area = forms.ModelChoiceField(
        label=_("Satsingsområde"),
        queryset=FocusArea.objects.filter(programme__is_current=True).order_by("order", "name"),
        required=False,
        empty_label=_("Velg satsingsområde"),
        help_text=_("Bare når rapporten gjelder ett satsingsområde."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("Velg kommune"),
        help_text=_("Bare når rapporten gjelder én kommune."),
    )
    period_start = forms.DateField(label=_("Periode fra"), widget=DateInput())
    period_end = forms.DateField(label=_("Periode til"), widget=DateInput())
    title = forms.CharField(
        label=_("Tittel"),
        max_length=200,
        required=False,
        help_text=_("Lar du feltet stå tomt, lages en tittel av omfang og dato."),
    )

    def __init__(
        self,
        *args: Any,
        pending_by_user: Sequence[str] = (),
        pending: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        """`pending_by_user` and `pending`: the titles of the reports not yet finished, the
        person's and everyone's, when the form is to order one (not for a preview)."""
        super().__init__(*args, **kwargs)
        self.pending_by_user = pending_by_user
        self.pending = pending

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if not cleaned.get("scope") or start is None or end is None:
            return cleaned  # a required field is missing or malformed: its own error says so
        errors = report_order_errors(
            scope=cleaned["scope"],
            focus_area=cleaned.get("focus_area"),
            municipality=cleaned.get("municipality"),
            period_start=start,
            period_end=end,
            today=timezone.localdate(),
            pending_by_user=self.pending_by_user,
            pending=self.pending,
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return cleaned
