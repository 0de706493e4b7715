"""Forms of the admin area: the measure form with conflict detection, the status-update form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drivkraft.core.markdown import render_markdown
from measures.models import Measure
from measures.selectors import latest_status_update_date
from measures.services import Change, measure_changes_since
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


MISSING_VERSION = _(
    "Skjemaet mangler versjonen tiltaket hadde da du åpnet det. Last siden på nytt og gjør "
    "endringene igjen."
)


class VersionField(forms.IntegerField):
    """The version the form was opened at: it guards the save and is never a change itself.

    Its initial value is only known to an unbound form, so a bound form always found it
    «changed», and every unchanged save wrote a new version, a history row and a new content
    revision. Hidden and without a label (change_form.html): its errors say what to do instead."""

    widget = forms.HiddenInput

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


class MeasureAdminForm(forms.ModelForm[Measure]):
    expected_version = VersionField(
        required=False,
        error_messages={"required": MISSING_VERSION, "invalid": MISSING_VERSION},
    )

    class Meta:
        model = Measure
        fields = [  # noqa: RUF100 - the admin's fieldsets choose what is shown
            "title", "slug", "focus_area", "goal", "summary", "description", "strategy",
            "expected_result", "planned_start", "planned_end", "forecast_end", "responsible",
            "co_owners", "municipalities", "partners", "related", "is_published",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Editing needs the version the form was opened at, or conflicts go unnoticed.
            self.fields["expected_version"].required = True
            if not self.is_bound:
                self.fields["expected_version"].initial = self.instance.version
        self.preview_html = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "_preview" in self.data:
            # A preview never saves: show the sanitised description and keep the form as it is.
            self.preview_html = render_markdown(cleaned.get("description") or "")
            raise ValidationError(
                _("Forhåndsvisning av beskrivelsen vises under. Ingenting er lagret ennå."),
                code="preview",
            )
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            stored = Measure.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            current = stored.first()
            if current is not None and current != expected:
                changes = measure_changes_since(measure=self.instance, version=expected)
                raise ValidationError(
                    [
                        _(
                            "Noen andre har lagret tiltaket etter at du åpnet det. Endringene dine "
                            "er ikke lagret. Last siden på nytt, se over endringene under og gjør "
                            "dine endringer igjen."
                        ),
                        *conflict_messages(changes),
                    ],
                    code="conflict",
                )
        return cleaned


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
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("CSV (UTF-8, komma eller semikolon) eller Excel (.xlsx), høyst 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
