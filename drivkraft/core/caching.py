"""Conditional requests and a shared page cache for the public pages.

Every public page depends only on the public content, the language, whether htmx asked for a
fragment, and the parameters its view reads. Its ETag and cache key are derived from the content
revision (one small query), so a repeat request costs one query and a change anywhere is seen on
the next request.

The cache key never holds the raw query string: each view names the parameters it reads, in one
canonical form (`public_page(key=...)`); other parameters neither make a new entry nor change the
page. A page that reads none ignores the query string altogether.

A visitor's request for a page without a query string is answered earlier still, by
`SharedPageMiddleware`: before the session, language, CSRF, authentication and messages
middleware, which have nothing to do for a stored page, it looks the finished response up by the
revision, the day, the host, the path (which holds the language) and the fragment/page choice,
and stores the finished response of a page the view marked as shareable. A repeat visit then
costs the revision query and a cache read, no more than the health check.

A request with a session (a logged-in user, or a visitor with a message waiting) is the exception:
its header names the user and carries a CSRF token, so its page is made for it alone, never
stored nor answered from the shared cache or with 304, and no browser or proxy keeps it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from functools import lru_cache, wraps
from typing import Any, cast, overload

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import Error as DatabaseLibraryError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from drivkraft.core.htmx import wants_fragment
from drivkraft.core.models import ContentRevision
from drivkraft.core.revision import current_revision

View = Callable[..., HttpResponseBase]
# The canonical form of the parameters a page reads (a query string, say), or None when the
# request cannot be put in that form: its page is then made for it alone, neither read from the
# cache nor stored.
PageKey = Callable[[HttpRequest], str | None]
logger = logging.getLogger(__name__)

# Set on a response whose page shows something of its request that its key does not hold.
_NOT_STORED = "_drivkraft_not_stored"
# Set on a response that `public_page` made (or served) for its key: the same for every visitor
# who asks for the same path, so `SharedPageMiddleware` may store it.
_SHAREABLE = "_drivkraft_shareable"
# Set on a request by `SharedPageMiddleware`: the revision it read (the view uses the same one, so
# the page and its key agree), and that it will store the finished response itself.
_REVISION = "_drivkraft_revision"
_SHARED_KEY = "_drivkraft_shared_key"
# Set on a view wrapped by `public_page`.
_PUBLIC_VIEW = "drivkraft_public_page"


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
        revision: ContentRevision = getattr(request, _REVISION, None) or current_revision()
        stamp, today, variant = _page_identity(request, revision)
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
                    # The shared page cache stores the finished response; one copy is enough.
                    if not getattr(request, _SHARED_KEY, None):
                        _cache_set(cache_key, response, timeout)
                    setattr(response, _SHAREABLE, True)
        elif response.status_code == 200:
            setattr(response, _SHAREABLE, True)
        if response.status_code == 200:
            _add_headers(response, etag, last_modified, personal=personal)
        return response

    setattr(wrapped, _PUBLIC_VIEW, True)  # kept by the decorators outside (functools.wraps)
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


def _page_identity(request: HttpRequest, revision: ContentRevision) -> tuple[str, str, str]:
    """What every public page depends on besides its path and parameters, for its ETag and its
    cache keys: the content revision, today's date («not updated for 90 days» changes with it)
    and whether htmx asked for the fragment."""
    stamp = f"{revision.number}.{revision.changed_at.timestamp():.6f}"
    today = timezone.localdate().isoformat()
    variant = "htmx" if wants_fragment(request) else "page"
    return stamp, today, variant


class SharedPageMiddleware:
    """Answers a visitor's repeat request for a public page from the shared cache before the
    rest of the middleware runs, with the finished response the first request got (its
    language, framing and cache headers included; the security headers and the form stamps are
    added outside this middleware, afresh for every answer).

    Only a GET without a query string, a session cookie or a conditional header is looked up: its
    page follows from the path (which holds the language), the host, the fragment/page choice,
    the content revision and the day alone. What is stored is only what `public_page` marked as
    shareable, answered 200 without setting a cookie or using a CSRF token. Everything else, and
    every request when the database or the cache cannot be read, takes the usual way through the
    stack (where `public_page` has its own cache, conditional answers and the 503 page).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = _shared_key(request)
        if key is None:
            return self.get_response(request)
        stored: Frozen | None = _cache_get(key)
        if stored is not None:
            return _thawed(stored)
        setattr(request, _SHARED_KEY, key)
        response = self.get_response(request)
        if (
            getattr(response, _SHAREABLE, False)
            and response.status_code == 200
            and isinstance(response, HttpResponse)
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            _cache_set(key, _frozen(response), settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response


# Request headers that make an answer depend on more than the path: conditional requests get
# their 304 from `public_page`.
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def _shared_key(request: HttpRequest) -> str | None:
    """The shared cache's key for `request`, or None when it is not a visitor's plain GET."""
    if (
        request.method != "GET"
        or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0
        or request.META.get("QUERY_STRING")
        or has_session(request)
        or any(header in request.META for header in _CONDITIONAL)
        or not is_public_page(request.path_info, get_urlconf() or settings.ROOT_URLCONF)
    ):
        return None
    try:
        host = request.get_host()
        revision = current_revision()
    except (DisallowedHost, DatabaseLibraryError):
        return None  # the stack answers: 400, or the 503 page
    setattr(request, _REVISION, revision)
    stamp, today, variant = _page_identity(request, revision)
    identity = f"{stamp}|{today}|{host}|{request.path}|{variant}"
    return "shared:" + hashlib.sha256(identity.encode()).hexdigest()


@lru_cache(maxsize=4096)
def is_public_page(path: str, urlconf: str) -> bool:
    """`path` is served by a `public_page` view. Asked before the language middleware has run,
    so the path is resolved in the language it names (the default language when it names none,
    as `LocaleMiddleware` decides with `prefix_default_language=False`)."""
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path, urlconf)
        except Resolver404:
            return False
    return bool(getattr(match.func, _PUBLIC_VIEW, False))


# A finished response as stored: status, headers, body and the attributes of the response that
# the middleware outside this one reads (a view's own Content-Security-Policy, `csp_override`, as
# the embeds have). Cheaper to store and read back than the response object.
Frozen = tuple[int, list[tuple[str, str]], bytes, dict[str, Any]]
_READ_OUTSIDE = ("_csp_config", "_csp_ro_config")


def _frozen(response: HttpResponse) -> Frozen:
    attributes = {
        name: getattr(response, name) for name in _READ_OUTSIDE if hasattr(response, name)
    }
    return (response.status_code, list(response.items()), response.content, attributes)


def _thawed(stored: Frozen) -> HttpResponse:
    status, headers, content, attributes = stored
    response = HttpResponse(content, status=status, headers=dict(headers))
    for name, value in attributes.items():
        setattr(response, name, value)
    return response


def has_session(request: HttpRequest) -> bool:
    """The request carries a session cookie. Decided without a query: a visitor without one is
    anonymous for certain, and every other request gets a page of its own."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


# The cache only saves work: when a shared cache (Redis) is down or slow, pages are made afresh
# instead of failing.
def _cache_get(key: str) -> Any:
    try:
        response = cache.get(key)
    except Exception as error:
        logger.warning("Page cache unavailable, page made afresh: %r", error)
        return None
    return response


def _cache_set(key: str, response: HttpResponse | Frozen, timeout: int) -> None:
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
