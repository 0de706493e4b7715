"""The admin site: Norwegian titles and a login form that checks the username's length.

The start page's «Mine tiltak» comes from the measures app's template tag (see
templates/admin/index.html), so the site itself knows no domain app."""

from __future__ import annotations

from typing import Any

from django import forms
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
        if isinstance(username, forms.CharField) and username.max_length is not None:
            username.validators.append(MaxLengthValidator(username.max_length))


class DrivkraftAdminSite(admin.AdminSite):
    login_form = LoginForm
    site_header = _("Drivkraft – administrasjon")
    site_title = _("Drivkraft")
    index_title = _("Mine tiltak")
    site_url = "/"
