"""The admin site: Norwegian titles, and «Mine tiltak» (the user's own measures) first."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DrivkraftAdminSite(admin.AdminSite):
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
