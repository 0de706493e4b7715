"""What was sent to whom, and who has paused their reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """What a reminder held: an owner's own measures, the programme's attention list (the
    project leader's weekly digest), or both in one mail for someone who is both."""

    OWNER = "eier", _("Egne tiltak")
    PROGRAMME = "program", _("Hele programmet")
    BOTH = "begge", _("Egne tiltak og hele programmet")


class ReminderSent(models.Model):
    """One reminder that went out. A person gets at most one per `REMINDER_INTERVAL_DAYS`;
    a mail that could not be sent has no row, so the next run tries again."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottaker"),
        on_delete=models.CASCADE,
        related_name="reminders_sent",
    )
    email = models.EmailField(_("sendt til"))
    kind = models.CharField(_("type"), max_length=10, choices=ReminderKind)
    sent_at = models.DateTimeField(_("sendt"))
    items = models.JSONField(
        _("punkter"), default=list, help_text=_("Hva påminnelsen nevnte: tiltak og grunner.")
    )

    class Meta:
        verbose_name = _("sendt påminnelse")
        verbose_name_plural = _("sendte påminnelser")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.sent_at:%d.%m.%Y})"


class ReminderPreference(models.Model):
    """A person's choice about reminders, made on Min side or with the link in a mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruker"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    paused = models.BooleanField(_("påminnelser på pause"), default=False)
    changed_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("valg for påminnelser")
        verbose_name_plural = _("valg for påminnelser")

    def __str__(self) -> str:
        return f"{self.user} ({'pause' if self.paused else 'på'})"
