"""Conditional requests and a shared page cache for the public pages.

Every public page depends only on the public content, the language, whether htmx asked for a
fragment, and the parameters its view reads. Its ETag and cache key are derived from the content
revision (one small query), so a repeat request costs one query and a change anywhere is seen on
the next request.

The cache key never holds the raw query string: each view names the parameters it reads, in one
canonical form (`public_page(key=...)`); other parameters neither make a new entry nor change the
page. A page that reads none ignores the query string altogether.

A request with a session (a logged-in user, or a visitor with a message waiting) is the exception:
its header names the user and carries a CSRF token, so its page is made for it alone, never
stored nor answered from the shared cache or with 304, and no browser or proxy keeps it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, cast, overload

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from drivkraft.core.htmx import wants_fragment
from drivkraft.core.revision import current_revision

View = Callable[..., HttpResponseBase]
# The canonical form of the parameters a page reads (a query string, say), or None when the
# request cannot be put in that form: its page is then made for it alone, neither read from the
# cache nor stored.
PageKey = Callable[[HttpRequest], str | None]
logger = logging.getLogger(__name__)

# Set on a response whose page shows something of its request that its key does not hold.
_NOT_STORED = "_drivkraft_not_stored"


def ignore_query(request: HttpRequest) -> str:
    """The key of a page that reads no parameters: the query string is ignored."""
    return ""


def keep_out_of_cache[R: HttpResponseBase](response: R) -> R:
    """Never store this response: its page names something of its request that is not part of
    its cache key (a note about an unknown value, say), so no other request may be given it."""
    setattr(response, _NOT_STORED, True)
    return response


@overload
def public_page(view: View, *, key: PageKey = ..., personal: bool = ...) -> View: ...
@overload
def public_page(*, key: PageKey = ..., personal: bool = ...) -> Callable[[View], View]: ...
def public_page(
    view: View | None = None, *, key: PageKey = ignore_query, personal: bool = True
) -> Any:
    """Answer conditional requests with 304 and serve repeat requests from the cache.

    `key` gives the canonical form of the parameters the view reads (default: none, the query
    string is ignored). Whatever the page shows must follow from that key, the path, the host,
    the language and the fragment/page choice; a view whose page names something else of the
    request marks it with `keep_out_of_cache`. `personal=False` says that the page never shows
    who is logged in (no header: the embeds), so a request with a session gets the shared page.
    """
    if view is None:
        return lambda view: public_page(view, key=key, personal=personal)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if personal and has_session(request):
            own_page = view(request, *args, **kwargs)
            patch_cache_control(own_page, private=True, no_store=True)
            patch_vary_headers(own_page, ["Cookie", "HX-Request"])
            return own_page
        revision = current_revision()
        variant = "htmx" if wants_fragment(request) else "page"
        stamp = f"{revision.number}.{revision.changed_at.timestamp():.6f}"
        # Today's date is part of every page: «not updated for 90 days» changes with it.
        today = timezone.localdate().isoformat()
        etag = f'"{stamp}-{today}-{get_language()}-{variant}"'
        last_modified = int(revision.changed_at.timestamp())

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            _add_headers(not_modified, etag, last_modified, personal=personal)
            return not_modified

        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        query = key(request) if timeout else None
        cache_key = (
            None
            if query is None
            else "page:"
            + hashlib.sha256(
                f"{etag}|{request.get_host()}|{request.path}|{query}".encode()
            ).hexdigest()
        )
        response: HttpResponseBase | None = _cache_get(cache_key) if cache_key else None
        if response is None:
            response = view(request, *args, **kwargs)
            if (
                cache_key
                and response.status_code == 200
                and not getattr(response, _NOT_STORED, False)
            ):
                if isinstance(response, StreamingHttpResponse):
                    _store_when_sent(response, cache_key, timeout)
                elif isinstance(response, HttpResponse):
                    if hasattr(response, "render") and callable(response.render):
                        response.render()
                    _cache_set(cache_key, response, timeout)
        if response.status_code == 200:
            _add_headers(response, etag, last_modified, personal=personal)
        return response

    return wrapped


# A streamed file (the open data) is stored as it is sent, when it is no larger than this; a
# larger one is streamed every time.
MAX_STORED_STREAM = 4 * 1024 * 1024


def _store_when_sent(response: StreamingHttpResponse, key: str, timeout: int) -> None:
    """Store a streamed response once all of it has been sent: the pieces are kept as they pass
    (at most `MAX_STORED_STREAM` bytes, else none), and a response that was cut short is not
    stored."""
    if response.is_async:
        return
    pieces: list[bytes] | None = []
    size = 0
    original = cast(Iterator[bytes], response.streaming_content)

    def passing() -> Iterator[bytes]:
        nonlocal pieces, size
        for piece in original:
            if pieces is not None:
                size += len(piece)
                if size > MAX_STORED_STREAM:
                    pieces = None
                else:
                    pieces.append(piece)
            yield piece
        if pieces is not None:
            stored = HttpResponse(b"".join(pieces), status=response.status_code)
            for name, value in response.items():
                stored[name] = value
            _cache_set(key, stored, timeout)

    response.streaming_content = passing()


def has_session(request: HttpRequest) -> bool:
    """The request carries a session cookie. Decided without a query: a visitor without one is
    anonymous for certain, and every other request gets a page of its own."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


# The cache only saves work: when a shared cache (Redis) is down or slow, pages are made afresh
# instead of failing.
def _cache_get(key: str) -> HttpResponse | None:
    try:
        response: HttpResponse | None = cache.get(key)
    except Exception as error:
        logger.warning("Page cache unavailable, page made afresh: %r", error)
        return None
    return response


def _cache_set(key: str, response: HttpResponse, timeout: int) -> None:
    try:
        cache.set(key, response, timeout)
    except Exception as error:
        logger.warning("Page cache unavailable, page not stored: %r", error)


def _add_headers(
    response: HttpResponseBase, etag: str, last_modified: int, *, personal: bool
) -> None:
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    # Browsers and proxies may keep a copy but must ask again (cheaply, with 304) every time.
    patch_cache_control(response, public=True, no_cache=True)
    # A browser that logs in sends a session cookie and so never reuses the visitor's copy of a
    # page that would name the user; a page that never does is the same for everyone.
    patch_vary_headers(response, ["Cookie", "HX-Request"] if personal else ["HX-Request"])
