"""Every write of public input: receiving it, the decisions on it, the answer, and deleting the
e-mail addresses whose purpose is over."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure
from participation.models import ANSWER_MAX_LENGTH, InputState, PublicInput
from participation.validation import input_text_errors

logger = logging.getLogger(__name__)

# An e-mail address is kept this long after the input was answered (or rejected without one).
EMAIL_RETENTION_DAYS = 90


def public_input_create(
    *, measure: Measure, text: str, name: str = "", email: str = "", consent: bool
) -> PublicInput:
    """Receive input on a public measure. It is new and shown to nobody but the measure's owners
    and the project leader until one of them approves it.

    Refuses (ValidationError) a measure that is not public, a text that breaks a rule of
    `input_text_errors`, and input without consent; the database refuses the last one too.
    """
    errors: dict[str, list[str]] = {}
    if not Measure.objects.public().filter(pk=measure.pk).exists():
        errors["measure"] = [_("Tiltaket tar ikke imot innspill.")]
    if text_errors := input_text_errors(text):
        errors["text"] = text_errors
    if not consent:
        errors["consent"] = [_("Du må samtykke for å sende innspillet.")]
    if errors:
        raise ValidationError(errors)
    return PublicInput.objects.create(
        measure=measure,
        text=text.strip(),
        name=name.strip(),
        email=email.strip(),
        consent=True,
    )


@transaction.atomic
def public_input_decide(
    *, public_input: PublicInput, state: InputState, user: Any, reason: str = ""
) -> PublicInput:
    """Approve or reject input (or withdraw an approval), recorded with who and when in the
    history. Approved input shows on the measure's page and in its feed at once."""
    if state not in (InputState.APPROVED, InputState.REJECTED):
        raise ValidationError({"state": [_("Ukjent avgjørelse.")]})
    locked = PublicInput.objects.select_for_update().get(pk=public_input.pk)
    locked.state = state
    locked.decided_at = timezone.now()
    locked.decided_by = user
    locked._change_reason = reason or str(state.label)  # type: ignore[attr-defined]
    locked.save()
    return locked


@transaction.atomic
def public_input_answer(*, public_input: PublicInput, answer: str, user: Any) -> PublicInput:
    """Answer input. The answer shows beside approved input; when the sender gave an e-mail
    address, it is sent there once the answer is saved. Answering again replaces the answer."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": [_("Skriv et svar.")]})
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            {"answer": [_("Svaret kan være høyst %(max)s tegn.") % {"max": ANSWER_MAX_LENGTH}]}
        )
    locked = (
        PublicInput.objects.select_related("measure").select_for_update().get(pk=public_input.pk)
    )
    locked.answer = answer
    locked.answered_at = timezone.now()
    locked.answered_by = user
    locked._change_reason = _("Besvart")  # type: ignore[attr-defined]
    locked.save()
    if locked.email:
        transaction.on_commit(lambda: _send_answer(locked))
    return locked


def _send_answer(public_input: PublicInput) -> None:
    subject = _("Svar på innspillet ditt om «%(title)s»") % {"title": public_input.measure.title}
    body = _(
        "Du sendte dette innspillet til Program Drivkraft:\n\n%(text)s\n\nSvar:\n\n%(answer)s\n\n"
        "E-postadressen din slettes %(days)s dager etter svaret."
    ) % {"text": public_input.text, "answer": public_input.answer, "days": EMAIL_RETENTION_DAYS}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [public_input.email])
    except OSError:
        # The answer is saved and shown; the owner sees on Min side that it was not sent.
        logger.warning("Could not e-mail the answer to input %s", public_input.pk, exc_info=True)


def delete_input_emails(*, now: dt.datetime | None = None) -> int:
    """Delete the e-mail address of every input answered more than EMAIL_RETENTION_DAYS ago, and
    of rejected input left unanswered that long after the decision. Returns how many.

    The address is blanked in the row, and was never copied into the history."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=EMAIL_RETENTION_DAYS)
    expired = PublicInput.objects.exclude(email="").filter(answered_at__lt=cutoff) | (
        PublicInput.objects.exclude(email="").filter(
            state=InputState.REJECTED, answered_at__isnull=True, decided_at__lt=cutoff
        )
    )
    # update(): no history row per deletion (the address is not in the history anyway).
    return PublicInput.objects.filter(pk__in=expired.values("pk")).update(
        email="", email_deleted_at=now
    )
