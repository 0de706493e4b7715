from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Statusrapporter")

    def ready(self) -> None:
        from drivkraft.core.revision import content_revised
        from reports.current import on_content_revised

        # The current-status report is rendered again when the public content changes.
        content_revised.connect(on_content_revised, dispatch_uid="reports-current-report")
