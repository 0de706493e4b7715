"""Public input («innspill») on a measure: sent by anyone, public only once approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models import Measure

TEXT_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 100


class InputState(models.TextChoices):
    NEW = "ny", _("Ny")
    APPROVED = "godkjent", _("Godkjent")
    REJECTED = "avvist", _("Avvist")


class PublicInputQuerySet(models.QuerySet["PublicInput"]):
    def public(self) -> PublicInputQuerySet:
        """What anyone may read: approved input on a public measure."""
        return self.filter(
            state=InputState.APPROVED,
            measure__is_published=True,
            measure__archived_at__isnull=True,
        )


class PublicInput(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="public_inputs"
    )
    text = models.TextField(_("innspill"), max_length=TEXT_MAX_LENGTH)
    name = models.CharField(_("navn"), max_length=NAME_MAX_LENGTH, blank=True)
    # Only to answer; deleted 90 days after the answer (manage.py delete_input_emails), and never
    # copied into the history (excluded below).
    email = models.EmailField(_("e-post"), blank=True)
    consent = models.BooleanField(_("samtykke"), default=False)
    created_at = models.DateTimeField(_("mottatt"), auto_now_add=True)
    state = models.CharField(
        _("behandling"), max_length=10, choices=InputState, default=InputState.NEW
    )
    decided_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandlet av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("svar"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besvart av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    email_deleted_at = models.DateTimeField(_("e-post slettet"), null=True, blank=True)

    objects = PublicInputQuerySet.as_manager()

    # Every decision and answer is recorded, with who made it; the e-mail address is not.
    history = HistoricalRecords(excluded_fields=["email"])

    class Meta:
        verbose_name = _("innspill")
        verbose_name_plural = _("innspill")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="public_input_consent_given"),
            models.CheckConstraint(
                condition=Q(state=InputState.NEW) | Q(decided_at__isnull=False),
                name="public_input_decision_dated",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="public_input_answer_dated",
            ),
            models.CheckConstraint(
                condition=Q(email_deleted_at__isnull=True) | Q(email=""),
                name="public_input_deleted_email_empty",
            ),
        ]
        indexes = [models.Index(fields=["measure", "state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.measure.title}: {self.text[:60]}"

    @property
    def is_new(self) -> bool:
        return self.state == InputState.NEW

    @property
    def is_approved(self) -> bool:
        return self.state == InputState.APPROVED
