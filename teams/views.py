"""Public pages about the municipalities and how the programme is organised."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from measures import selectors as measure_selectors
from measures.caching import public_page
from measures.models import Measure
from measures.status import STATUSES
from teams import selectors

# The municipality page lists this many measures; the measure list filtered on the municipality
# holds them all.
MUNICIPALITY_MEASURES = 20


@require_safe
@public_page
def municipality_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "teams/municipality_list.html",
        {
            "municipalities": measure_selectors.municipality_list(),
            "statuses": STATUSES,
        },
    )


@require_safe
@public_page
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = selectors.municipality_detail(slug=slug)
    if municipality is None:
        raise Http404(_("Fant ikke kommunen."))
    measures = selectors.municipality_measures(municipality=municipality)
    distribution = measure_selectors.status_distribution(
        Measure.objects.public().filter(municipalities=municipality)
    )
    context = {
        "municipality": municipality,
        # The most recently updated; all of them, with filters, in the measure list.
        "measures": measures[:MUNICIPALITY_MEASURES],
        "measure_count": distribution.total,
        "distribution": distribution,
        "team_members": selectors.business_team_members(municipality=municipality),
        "statuses": STATUSES,
    }
    return render(request, "teams/municipality_detail.html", context)


@require_safe
@public_page
def organisation(request: HttpRequest) -> HttpResponse:
    return render(request, "teams/organisation.html", {"bodies": selectors.body_list()})
