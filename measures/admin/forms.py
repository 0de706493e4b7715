"""Forms of the admin area: the measure form with conflict detection, the import upload.

The status-update form is shared with Min side and lives in `measures.forms`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from drivkraft.core.markdown import render_markdown
from measures.forms import StatusUpdateForm, conflict_messages
from measures.models import Measure
from measures.services import measure_changes_since

__all__ = ["ImportUploadForm", "MeasureAdminForm", "StatusUpdateForm", "conflict_messages"]


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


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("CSV (UTF-8, komma eller semikolon) eller Excel (.xlsx), høyst 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
