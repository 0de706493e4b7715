"""Answers for when the database is down (a friendly 503 instead of a stack trace or a 500), the
security headers Django does not send itself, and no copies of what a logged-in user sees in the
browser's cache."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from drivkraft.core import formstamp

logger = logging.getLogger(__name__)

# Long enough for PostgreSQL to restart or fail over, short enough that a reader retries soon.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection in a view into «503 Service Unavailable».

    `OperationalError` (cannot connect, the server went away) and `InterfaceError` (a connection
    that is already closed) say that the database is unreachable, not that the code is wrong; the
    reader gets a Norwegian page saying so, with `Retry-After`. The page needs no database: it uses
    neither the user nor the session. Other errors still reach Django's 500 handling.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # Django logs the 503 itself; this line adds the cause, without the traceback.
        cause = str(exception).strip().splitlines()
        logger.warning(
            "Database unavailable, answering 503 for %s %s: %s",
            request.method,
            request.path,
            cause[0] if cause else type(exception).__name__,
        )
        return database_unavailable(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(render_to_string("503.html", request=request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # An error page must never be cached as the page itself (the public pages are cached).
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler (`handler500`), for errors outside a view: an unreachable database
    there (saving a logged-in user's session, say) is the same outage, and gets the same 503.

    Django calls the handler while it handles the exception, so `sys.exc_info()` names it.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)


class SecurityHeadersMiddleware:
    """`Permissions-Policy` (no camera, microphone, location, payment, USB … for anyone, this site
    included: it uses none of them) and `Cross-Origin-Resource-Policy` (other sites may not embed
    our responses), on every response: it sits before WhiteNoise, so static files get them too.
    The values are settings (`PERMISSIONS_POLICY`, `SECURE_CROSS_ORIGIN_RESOURCE_POLICY`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class PrivateResponsesMiddleware:
    """A response to a logged-in user is for that user alone, and must not stay in the browser's
    cache after they log out (an office computer is shared): «Cache-Control: private, no-store»,
    for the admin, the reports and their PDFs alike.

    Everyone logged in sends the session cookie, so that is what is asked: it needs no database
    (when the database is down, the 503 page must still get through), and a stale cookie only
    errs on the side of storing nothing. Public pages say `public` (drivkraft.core.caching): they
    are the same for everyone, whoever is logged in, and keep their caching.
    """

    NOT_STORED = "private, no-store"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        if has_session and not _is_public(response):
            response.headers["Cache-Control"] = self.NOT_STORED
            response.headers.pop("Expires", None)
        return response


def _is_public(response: HttpResponse) -> bool:
    directives = {
        part.strip().split("=", 1)[0].lower()
        for part in response.get("Cache-Control", "").split(",")
    }
    return "public" in directives


class FormStampMiddleware:
    """A fresh signed time stamp (drivkraft.core.formstamp) in every public form of the response,
    whether the page was just made or came from the shared page cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and response.status_code != 304
        ):
            content = response.content
            filled = formstamp.fill(content)
            if filled is not content:
                response.content = filled
                if response.has_header("Content-Length"):
                    response.headers["Content-Length"] = str(len(filled))
        return response
