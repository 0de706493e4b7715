from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

# Everything the public pages show; a change to any of these renews the content revision.
PUBLIC_MODELS = [
    "measures.Programme",
    "measures.SubGoal",
    "measures.FocusArea",
    "measures.Goal",
    "measures.Measure",
    "measures.StatusUpdate",
    "measures.Indicator",
    "measures.IndicatorValue",
    "teams.Municipality",
    "teams.Organisation",
    "teams.Person",
    "teams.Body",
    "teams.Membership",
]


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = _("Program og tiltak")

    def ready(self) -> None:
        from measures.revision import connect_signals

        connect_signals([apps.get_model(label) for label in PUBLIC_MODELS])


class DrivkraftAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site: Norwegian titles and «Mine tiltak» on the start page."""

    default = False
    default_site = "measures.admin_site.DrivkraftAdminSite"
