"""Public page about how the programme is organised."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from drivkraft.core.caching import public_page
from teams import selectors


@require_safe
@public_page
def organisation(request: HttpRequest) -> HttpResponse:
    return render(request, "teams/organisation.html", {"bodies": selectors.body_list()})
