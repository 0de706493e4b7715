from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participation"
    verbose_name = _("Innspill fra publikum")

    def ready(self) -> None:
        from drivkraft.core.revision import connect_signals
        from measures.extensions import register_measure_feed_entries, register_measure_section
        from participation import hooks

        # Approved input shows on the public measure pages and feeds: a decision renews the
        # content revision, so no cached page keeps showing what was withdrawn (or misses what
        # was approved).
        connect_signals([apps.get_model("participation.PublicInput")])
        register_measure_section(hooks.measure_section)
        register_measure_feed_entries(hooks.measure_feed_entries)
