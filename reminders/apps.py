from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders by e-mail: a digest to each owner of what needs them, and a weekly one of the
    whole programme to the project leader."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    label = "reminders"
    verbose_name = _("Påminnelser")
