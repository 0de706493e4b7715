"""Template helpers: safe Markdown, the language switch, the content's language and numbers."""

from __future__ import annotations

from decimal import Decimal

import markdown as markdown_lib
import nh3
from django import template
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from measures.context_processors import content_lang_attr

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@register.filter(is_safe=True)
def markdown(text: str) -> SafeString:
    """Markdown rendered to HTML and sanitised: no raw HTML, scripts, styles or images survive.

    Headings start at h3 so that user text never breaks the page's heading structure.
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    for level in (6, 5, 4, 3, 2, 1):
        target = min(level + 2, 6)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


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
    """A number the Norwegian way: no needless decimals, comma as decimal separator."""
    if value is None:
        return ""
    decimal = Decimal(str(value)).normalize()
    if decimal == decimal.to_integral():
        return f"{int(decimal):,}".replace(",", "\u00a0")
    return f"{decimal:f}".replace(".", "," if get_language() != "en" else ".")


@register.filter
def querystring_page(filters: object, page: int) -> str:
    """The filters' query string pointing at another page."""
    return str(filters.querystring(page=page))  # type: ignore[attr-defined]
