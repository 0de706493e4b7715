"""The admin site: Norwegian titles and a login form that checks the username's length.

The start page's «Mine tiltak» comes from the measures app's template tag (see
templates/admin/index.html), so the site itself knows no domain app."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from drivkraft.core.auth import UsernameLengthMixin


class LoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's login form, with the username's length checked (see `UsernameLengthMixin`)."""


class DrivkraftAdminSite(admin.AdminSite):
    login_form = LoginForm
    site_header = _("Drivkraft – administrasjon")
    site_title = _("Drivkraft")
    index_title = _("Mine tiltak")
    site_url = "/"
