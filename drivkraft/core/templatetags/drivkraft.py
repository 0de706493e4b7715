"""Template helpers: safe Markdown, the language switch, the content's language and numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString

from drivkraft.core import formstamp
from drivkraft.core.context_processors import content_lang_attr
from drivkraft.core.formatting import format_number
from drivkraft.core.markdown import render_markdown

register = template.Library()


class PagedFilters(Protocol):
    """A list's filters that can point at one of its pages (`measures.filters.MeasureFilters`)."""

    def querystring(self, *, page: int | None = None) -> str: ...


@register.filter(is_safe=True)
def markdown(text: str) -> SafeString:
    """Markdown rendered to safe HTML (see `drivkraft.core.markdown`)."""
    return render_markdown(text)


def _is_local_path(url: str) -> bool:
    """A path on this site: one leading slash, no scheme, no host (not //host nor /\\host)."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _local_path(request: HttpRequest) -> str:
    """The request's path as a link on this site. A path may arrive with several leading slashes
    (`GET //evil.example/`, or `/%2F%2Fevil.example/` decoded): written into a link as it is, it
    points to another site. One slash, always."""
    return "/" + escape_uri_path(request.path).lstrip("/")


def _home(language: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        home = translate_url("/", language)
    return home if _is_local_path(home) else "/"


@register.simple_tag(takes_context=True)
def language_url(context: template.Context, language: str) -> str:
    """The current page in another language: always a path on this site, else that language's
    home page.

    Its query is the page's own canonical one (`page_query` in the context, from the filters the
    page shows), never the request's: a cached page must not repeat parameters it ignores.
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return _home(language)
    query = context.get("page_query") or ""
    path = _local_path(request)
    url = translate_url(f"{path}?{query}" if query else path, language)
    return url if _is_local_path(url) else _home(language)


@register.simple_tag(takes_context=True)
def current_url(context: template.Context) -> str:
    """This request's address as a link on this site (to try again), query string included."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "/"
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))
    url = _local_path(request) + (f"?{query}" if query else "")
    return url if _is_local_path(url) else "/"


@register.filter
def content_lang(value: object) -> object:
    """User text inside a translated sentence, in a span marked with the content's language.

    Only where the page is in another language; for text that fills an element of its own, mark
    that element with `{{ content_lang_attr }}` instead.
    """
    attr = content_lang_attr()
    return format_html("<span{}>{}</span>", attr, value) if attr else value


@register.filter
def number(value: Decimal | int | float | None) -> str:
    """A number the Norwegian way (see `drivkraft.core.formatting`)."""
    return format_number(value)


@register.filter
def querystring_page(filters: PagedFilters, page: int) -> str:
    """The filters' query string pointing at another page."""
    return str(filters.querystring(page=page))


@register.filter(expects_localtime=True)
def iso_datetime(value: dt.datetime | dt.date | None) -> str:
    """A moment for `<time datetime>`: the local time to the second, with its offset
    (`2026-11-29T16:06:53+01:00`). HTML allows at most three digits of a second's fraction, and
    `date:'c'` writes six."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.simple_tag
def form_stamp() -> str:
    """Where a public form's signed time stamp goes; `FormStampMiddleware` puts a fresh one in
    its place as the response leaves (drivkraft/core/formstamp.py)."""
    return formstamp.PLACEHOLDER
