from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """Min side: where the people who keep the plan alive log in and do their work."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "workspace"
    label = "workspace"
    verbose_name = _("Min side")
