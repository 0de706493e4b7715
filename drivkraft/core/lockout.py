"""The answer to a locked login (django-axes), in the design of the login that was refused."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with a Norwegian page: the admin's own for its login, the portal's for /logg-inn/."""
    template = "admin/lockout.html" if request.path.startswith("/admin/") else "lockout.html"
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, template, {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE)
