"""Conditional requests and a shared page cache for the public pages.

Every public page depends only on the public content, the language and whether htmx asked for a
fragment. Its ETag and cache key are derived from the content revision (one small query), so a
repeat request costs one query and a change anywhere is seen on the next request.

A request with a session (a logged-in user, or a visitor with a message waiting) is the exception:
its header names the user and carries a CSRF token, so its page is made for it alone, never
stored nor answered from the shared cache or with 304, and no browser or proxy keeps it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from drivkraft.core.htmx import wants_fragment
from drivkraft.core.revision import current_revision

View = Callable[..., HttpResponse]
logger = logging.getLogger(__name__)


def public_page(view: View) -> View:
    """Answer conditional requests with 304 and serve repeat requests from the cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if has_session(request):
            personal = view(request, *args, **kwargs)
            patch_cache_control(personal, private=True, no_store=True)
            patch_vary_headers(personal, ["Cookie", "HX-Request"])
            return personal
        revision = current_revision()
        variant = "htmx" if wants_fragment(request) else "page"
        stamp = f"{revision.number}.{revision.changed_at.timestamp():.6f}"
        # Today's date is part of every page: «not updated for 90 days» changes with it.
        today = timezone.localdate().isoformat()
        etag = f'"{stamp}-{today}-{get_language()}-{variant}"'
        last_modified = int(revision.changed_at.timestamp())

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            _add_headers(not_modified, etag, last_modified)
            return not_modified

        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        key = (
            "page:"
            + hashlib.sha256(
                f"{etag}|{request.get_host()}|{request.get_full_path()}".encode()
            ).hexdigest()
        )
        response: HttpResponse | None = _cache_get(key) if timeout else None
        if response is None:
            response = view(request, *args, **kwargs)
            if timeout and response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                _cache_set(key, response, timeout)
        if response.status_code == 200:
            _add_headers(response, etag, last_modified)
        return response

    return wrapped


def has_session(request: HttpRequest) -> bool:
    """The request carries a session cookie. Decided without a query: a visitor without one is
    anonymous for certain, and every other request gets a page of its own."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


# The cache only saves work: when a shared cache (Redis) is down or slow, pages are made afresh
# instead of failing.
def _cache_get(key: str) -> HttpResponse | None:
    try:
        return cache.get(key)
    except Exception as error:
        logger.warning("Page cache unavailable, page made afresh: %r", error)
        return None


def _cache_set(key: str, response: HttpResponse, timeout: int) -> None:
    try:
        cache.set(key, response, timeout)
    except Exception as error:
        logger.warning("Page cache unavailable, page not stored: %r", error)


def _add_headers(response: HttpResponse, etag: str, last_modified: int) -> None:
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    # Browsers and proxies may keep a copy but must ask again (cheaply, with 304) every time.
    patch_cache_control(response, public=True, no_cache=True)
    # A browser that logs in sends a session cookie and so never reuses the visitor's copy.
    patch_vary_headers(response, ["Cookie", "HX-Request"])
