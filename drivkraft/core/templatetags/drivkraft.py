"""Template helpers: safe Markdown, the language switch, the content's language and numbers."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import SafeString

from drivkraft.core.context_processors import content_lang_attr
from drivkraft.core.formatting import format_number
from drivkraft.core.markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text: str) -> SafeString:
    """Markdown rendered to safe HTML (see `drivkraft.core.markdown`)."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def language_url(context: template.Context, language: str) -> str:
    """The current page in another language.

    Its query is the page's own canonical one (`page_query` in the context, from the filters the
    page shows), never the request's: a cached page must not repeat parameters it ignores.
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "/"
    query = context.get("page_query") or ""
    path = escape_uri_path(request.path)
    return translate_url(f"{path}?{query}" if query else path, language)


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
def querystring_page(filters: object, page: int) -> str:
    """The filters' query string pointing at another page."""
    return str(filters.querystring(page=page))  # type: ignore[attr-defined]
