"""The public form «Gi innspill», with its defences against spam robots, and the moderators'
forms on Min side."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from drivkraft.core import formstamp
from participation.models import ANSWER_MAX_LENGTH, NAME_MAX_LENGTH, TEXT_MAX_LENGTH
from participation.validation import input_text_errors

# A person needs longer than this to read the form and write something; a robot posts at once.
MIN_SECONDS = 3
# A form older than this is sent again with a fresh stamp (what was written is kept).
MAX_AGE_SECONDS = 24 * 60 * 60

HONEYPOT = "nettside"


class PublicInputForm(forms.Form):
    text = forms.CharField(
        label=_("Innspillet ditt"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Høyst 2000 tegn og høyst to lenker."),
        error_messages={
            "required": _("Skriv innspillet ditt."),
            "max_length": _("Innspillet kan være høyst 2000 tegn."),
        },
    )
    name = forms.CharField(
        label=_("Navn (valgfritt)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("Vises sammen med innspillet hvis det blir publisert."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-post (valgfritt)"),
        required=False,
        help_text=_("Bare for å svare deg. Vises aldri, og slettes 90 dager etter svaret."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Skriv en gyldig e-postadresse, eller la feltet stå tomt.")},
    )
    consent = forms.BooleanField(
        label=_(
            "Jeg samtykker i at innspillet og navnet mitt kan publiseres på denne siden når "
            "det er godkjent, og at e-postadressen min brukes til å svare meg."
        ),
        error_messages={"required": _("Du må samtykke for å sende innspillet.")},
    )
    # Hidden from people (CSS and aria-hidden); robots fill in every field they find.
    nettside = forms.CharField(
        label=_("La dette feltet stå tomt"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if errors := input_text_errors(text):
            raise forms.ValidationError(errors)
        return text

    @property
    def kept_stamp(self) -> str:
        """The stamp this (refused) form came with, to send back with it: the clock keeps running
        from when the page was opened, so a quick correction after a refusal is not «too fast».
        Empty when it was forged or has expired: the page then gets a fresh one."""
        stamp = str(self.data.get("stamp", "")) if self.is_bound else ""
        try:
            seconds = formstamp.age(stamp)
        except formstamp.StampError:
            return ""
        return stamp if seconds <= MAX_AGE_SECONDS else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT):
            self.add_error(
                None,
                _(
                    "Skjemaet ble ikke sendt: feltet «La dette feltet stå tomt» var fylt ut. "
                    "Tøm det og send igjen."
                ),
            )
        try:
            seconds = formstamp.age(cleaned.get("stamp") or "")
        except formstamp.StampError:
            self.add_error(
                None,
                _("Skjemaet kunne ikke kontrolleres. Teksten din er tatt vare på; send igjen."),
            )
        else:
            if seconds < MIN_SECONDS:
                self.add_error(
                    None,
                    _(
                        "Skjemaet ble sendt for raskt etter at siden ble åpnet. Teksten din er "
                        "tatt vare på; vent noen sekunder og send igjen."
                    ),
                )
            elif seconds > MAX_AGE_SECONDS:
                self.add_error(
                    None,
                    _(
                        "Skjemaet har vært åpent for lenge. Teksten din er tatt vare på; send "
                        "igjen."
                    ),
                )
        return cleaned


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Svar"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Vises under innspillet når det er godkjent, og sendes til avsenderens e-post."
        ),
    )
