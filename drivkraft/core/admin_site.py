"""The admin site: Norwegian titles and a login form that checks the username's length.

The start page's «Mine tiltak» comes from the measures app's template tag (see
templates/admin/index.html), so the site itself knows no domain app."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AdminAuthenticationForm):
    """Django gives the username field its length limit after building it, so the limit is only
    an HTML attribute. Without the validator any length reached `authenticate()`, and a username
    over 255 characters made django-axes' record of the failure a server error on PostgreSQL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        if username.max_length is not None:  # type: ignore[attr-defined]
            username.validators.append(MaxLengthValidator(username.max_length))  # type: ignore[attr-defined]


class DrivkraftAdminSite(admin.AdminSite):
    login_form = LoginForm
    site_header = _("Drivkraft – administrasjon")
    site_title = _("Drivkraft")
    index_title = _("Mine tiltak")
    site_url = "/"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Every model admin on the site refuses regular-expression filters, also those that other
        apps register (users and groups, django-axes, the task results)."""
        # Imported here: the admin package registers its own models when it is imported, and
        # that needs this site to exist.
        from drivkraft.core.admin.base import RefusesRegexLookups

        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, RefusesRegexLookups):
            admin_class = type(
                admin_class.__name__,
                (RefusesRegexLookups, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
