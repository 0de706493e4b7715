"""The forms of Min side. Every rule they show is the service's own (`measures.validation`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drivkraft.core.auth import UsernameLengthMixin
from measures.forms import StatusUpdateForm
from measures.models import Indicator, IndicatorValue
from measures.validation import indicator_value_errors


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    """Any active user with a password may log in; what they may do is up to their role."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StatusForm(StatusUpdateForm):
    """The status update as radio buttons: every allowed status in view, easy to hit on a phone."""

    status = forms.ChoiceField(label=_("Ny status"), choices=(), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update({"inputmode": "numeric"})


class DescriptionForm(forms.Form):
    description = forms.CharField(
        label=_("Om tiltaket"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Vises på tiltakets offentlige side. Markdown: tom linje mellom avsnitt, "
            "**fet**, *kursiv*, «- » foran punkter, [lenketekst](https://…)."
        ),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class IndicatorValueForm(forms.Form):
    date = forms.DateField(label=_("Dato"), widget=DateInput())
    value = forms.DecimalField(
        label=_("Verdi"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=300,
        required=False,
        help_text=_("Valgfritt: hvor tallet kommer fra, eller hva det gjelder."),
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"indikator-{indicator.pk}")
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["value"].label = _("Verdi (%(unit)s)") % {"unit": indicator.unit}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date = cleaned.get("date")
        if date is None:
            return cleaned  # missing or malformed: its own error says so
        existing = (
            IndicatorValue.objects.filter(indicator=self.indicator, date=date)
            .values_list("value", flat=True)
            .first()
        )
        errors = indicator_value_errors(date=date, today=timezone.localdate(), existing=existing)
        for field, messages in errors.items():
            self.add_error(field, messages)
        return cleaned
