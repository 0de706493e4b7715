"""The forms of Min side. Every rule they show is the service's own (`measures.validation`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drivkraft.core.auth import UsernameLengthMixin
from measures.forms import StatusUpdateForm
from measures.models import Decision, Indicator, IndicatorValue, Milestone
from measures.validation import (
    decision_record_errors,
    decision_request_errors,
    indicator_value_errors,
    milestone_errors,
)


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


class MilestoneForm(forms.ModelForm[Milestone]):
    """A milestone of a measure: what, when, and (when editing) done on and its place in the
    list. The rules are `measures.validation.milestone_errors`, which the service keeps too."""

    class Meta:
        model = Milestone
        fields = ["title", "due_date", "completed_on", "order"]
        widgets = {
            "due_date": DateInput(),
            "completed_on": DateInput(),
            "order": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }
        help_texts = {
            "title": _("Kort, for eksempel «Avtale med UiT signert»."),
            "completed_on": _("Tom til milepælen er nådd. Ikke fram i tid."),
        }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:  # a new milestone is open and goes last
            del self.fields["completed_on"]
            del self.fields["order"]
        else:
            self.fields["order"].help_text = _(
                "Lavere tall står først; milepæler med samme tall står etter frist."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "title" in cleaned and "due_date" in cleaned:
            errors = milestone_errors(
                title=cleaned["title"],
                due_date=cleaned["due_date"],
                completed_on=cleaned.get("completed_on"),
                today=timezone.localdate(),
            )
            for field, messages in errors.items():
                self.add_error(field, messages)
        return cleaned


class DecisionRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Hva trengs det beslutning om?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kort, høyst 500 tegn. Vises på tiltakets offentlige side og for styringsgruppen."
        ),
    )

    def clean_question(self) -> str:
        question: str = self.cleaned_data["question"].strip()
        errors = decision_request_errors(question=question)
        if errors:
            raise forms.ValidationError(errors["question"])
        return question


class DecisionRecordForm(forms.Form):
    decided_on = forms.DateField(label=_("Dato for beslutningen"), widget=DateInput())
    decision = forms.CharField(
        label=_("Beslutning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hva styringsgruppen besluttet. Vises på tiltakets offentlige side."),
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"beslutning-{decision.pk}")
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.decision_obj = decision

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        errors = decision_record_errors(
            already_decided_on=self.decision_obj.decided_on,
            decided_on=cleaned.get("decided_on"),
            text=cleaned.get("decision", ""),
            today=timezone.localdate(),
        )
        for field, messages in errors.items():
            if field == "decided_on" and "decided_on" not in cleaned:
                continue  # missing or malformed: its own error says so
            if field == "decision" and "decision" not in cleaned:
                continue
            self.add_error(None if field == "__all__" else field, messages)
        return cleaned
