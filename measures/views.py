from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from measures import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    programme = selectors.current_programme()
    focus_areas = selectors.focus_area_list(programme=programme) if programme else []
    return render(
        request, "measures/home.html", {"programme": programme, "focus_areas": focus_areas}
    )
