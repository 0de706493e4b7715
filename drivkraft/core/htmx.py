"""The htmx request type and the one check for «answer with the fragment only»."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HttpRequest) -> bool:
    """htmx asked for a part of the page. A history restore comes from htmx too, but asks for
    the whole page (the browser lost its copy). Asked before django-htmx's middleware has run
    (the shared page cache asks first), the headers are read the same way."""
    htmx: HtmxDetails = getattr(request, "htmx", None) or HtmxDetails(request)
    if not htmx:
        return False
    return not htmx.history_restore_request
