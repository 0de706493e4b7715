"""Small pages for the municipalities' own sites to show in an iframe (/innebygd/…).

They are the only pages other sites may frame: `frame-ancestors` names this site and the origins
in `EMBED_ALLOWED_ORIGINS`, and they carry no `X-Frame-Options`; every other page keeps
`frame-ancestors 'none'` and `X-Frame-Options: DENY`. They set no cookies: they read neither the
session nor the user, and have no form (no CSRF token); the page cache stores them like any public
page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from drivkraft.core.caching import public_page
from measures import selectors
from measures.status import STATUSES
from teams import selectors as team_selectors

View = Callable[..., HttpResponseBase]

# Measures listed in each part of a municipality's embed; the full page has them all.
EMBED_MEASURES = 10


def embed_policy() -> dict[str, Any]:
    """The site's Content-Security-Policy, framable by this site and the allowed origins."""
    return settings.SECURE_CSP | {"frame-ancestors": [CSP.SELF, *settings.EMBED_ALLOWED_ORIGINS]}


def embeddable(view: View) -> View:
    """Let the allowed origins frame the view's responses, the cached and the 304s alike.

    The origins are read per request (a setting), so the policy follows the settings."""

    @xframe_options_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = csp_override(embed_policy())(view)(request, *args, **kwargs)
        # Other sites may frame it even where they ask for cross-origin isolation (COEP).
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return wrapped


@require_safe
@embeddable
@public_page(personal=False)
def embed_municipality(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = team_selectors.municipality_detail(slug=slug)
    if municipality is None:
        raise Http404(_("Fant ikke kommunen."))
    groups = selectors.municipality_measure_groups(municipality=municipality, limit=EMBED_MEASURES)
    context = {
        "municipality": municipality,
        "groups": groups,
        "distribution": groups.distribution,
        "limit": EMBED_MEASURES,
        "statuses": STATUSES,
    }
    return render(request, "embeds/municipality.html", context)


@require_safe
@embeddable
@public_page(personal=False)
def embed_measure(request: HttpRequest, slug: str) -> HttpResponse:
    measure = selectors.embed_measure(slug=slug)
    if measure is None:
        raise Http404(_("Fant ikke tiltaket."))
    latest = next(iter(measure.status_updates.all()), None)
    return render(request, "embeds/measure.html", {"measure": measure, "latest": latest})
