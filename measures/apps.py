from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# What the public pages show of the plan; a change to any of these renews the content revision.
PUBLIC_MODELS = [
    "measures.Programme",
    "measures.SubGoal",
    "measures.FocusArea",
    "measures.Goal",
    "measures.Measure",
    "measures.StatusUpdate",
    "measures.Indicator",
    "measures.IndicatorValue",
    "measures.Milestone",
    "measures.Decision",
]


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = _("Program og tiltak")

    def ready(self) -> None:
        from drivkraft.core.revision import connect_signals

        connect_signals([apps.get_model(label) for label in PUBLIC_MODELS])
