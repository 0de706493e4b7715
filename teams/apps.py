from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# What the public pages show of the organisation; a change renews the content revision.
PUBLIC_MODELS = [
    "teams.Municipality",
    "teams.Organisation",
    "teams.Person",
    "teams.Body",
    "teams.Membership",
]


class TeamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "teams"
    verbose_name = _("Kommuner og organisering")

    def ready(self) -> None:
        from drivkraft.core.revision import connect_signals

        connect_signals([apps.get_model(label) for label in PUBLIC_MODELS])
