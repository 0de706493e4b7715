"""The admin site: Norwegian titles, and «Mine tiltak» (the user's own measures) first."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
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

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        from measures.selectors import my_measures

        today = timezone.localdate()
        context = {
            "my_measures": my_measures(user=request.user, today=today),
            **(extra_context or {}),
        }
        return super().index(request, context)
