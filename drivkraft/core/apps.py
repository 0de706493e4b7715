from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "drivkraft.core"
    label = "core"
    verbose_name = _("Portalen")

    def ready(self) -> None:
        from drivkraft.core import checks  # noqa: F401 - registers the system checks


class DrivkraftAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site: Norwegian titles and the portal's login form."""

    default = False
    default_site = "drivkraft.core.admin_site.DrivkraftAdminSite"
