"""Template helpers: safe Markdown, the language switch, the content's language and numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from django import template
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString

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


@register.simple_tag(takes_context=True)
def language_url(context: template.Context, language: str) -> str:
    """The current page (with its query string) in another language."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)


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
