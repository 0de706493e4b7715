"""The admin site: the project leader's back office, in Norwegian and the portal's colours.

Only the project leaders (and superusers, for emergencies) use it. Whoever else is logged in and
comes here is sent to Min side, where measure owners and the steering group do their work, with
a message instead of a 403 wall. Who is a project leader is a role (teams/roles.py), so the site
asks for a permission the teams app grants by rule (`ADMIN_PERMISSION`) and knows no domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from drivkraft.core.auth import UsernameLengthMixin

# Granted to the project leaders in teams/rules.py; superusers have every permission.
ADMIN_PERMISSION = "core.use_admin"

# The index lists the apps in the order of the leader's work, not alphabetically: the plan first,
# then the reports, the people, and the portal's technical record last.
APP_ORDER = ("measures", "reports", "teams", "core")


def workspace_url() -> str:
    """Min side's address: settings.WORKSPACE_URL, a path or a URL name."""
    return str(resolve_url(settings.WORKSPACE_URL))


class LoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's login form, with the username's length checked (see `UsernameLengthMixin`)."""


class DrivkraftAdminSite(admin.AdminSite):
    login_form = LoginForm
    site_header = _("Drivkraft – administrasjon")
    site_title = _("Drivkraft")
    index_title = _("Administrasjon")
    site_url = "/"
    # Thirteen tables down the side of every page were a wall, not a guide: the start page lists
    # them grouped and in the order of the work, and the breadcrumbs lead back to it.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.has_perm(ADMIN_PERMISSION))

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        checked = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if self._is_someone_else(request):
                return self.send_to_workspace(request)
            return checked(request, *args, **kwargs)

        return update_wrapper(inner, checked)

    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.method == "GET" and self._is_someone_else(request):
            return self.send_to_workspace(request)
        return super().login(request, extra_context)

    def _is_someone_else(self, request: HttpRequest) -> bool:
        """Logged in, but not one of those the admin is for."""
        return bool(request.user.is_authenticated and not self.has_permission(request))

    def send_to_workspace(self, request: HttpRequest) -> HttpResponse:
        messages.info(
            request,
            gettext(
                "Administrasjonen er bare for prosjektlederne. Det du skal gjøre, finner du på "
                "Min side."
            ),
        )
        response = HttpResponseRedirect(workspace_url())
        add_never_cache_headers(response)
        return response

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().each_context(request), "workspace_url": workspace_url()}

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> Any:
        apps = super().get_app_list(request, app_label)

        def position(app: dict[str, Any]) -> int:
            label = app["app_label"]
            return APP_ORDER.index(label) if label in APP_ORDER else len(APP_ORDER)

        return sorted(apps, key=position)

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
