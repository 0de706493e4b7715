"""Template context for every page: the language of the text users entered."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language


def content_lang_attr() -> SafeString:
    """` lang="nb"` when the page is in another language than the content, else an empty string.

    Everything users enter (measures, status updates, goals, indicators, bodies) is written in
    the default language, Norwegian bokmål; the English pages translate only the interface. WCAG
    2.1 SC 3.1.2 asks for those passages to be marked so that screen readers switch voice. On
    the Norwegian pages `<html lang="nb">` already says it, so nothing is added there.
    """
    content = settings.LANGUAGE_CODE
    if (get_language() or content) == content:
        return SafeString("")
    return format_html(' lang="{}"', content)


def content_language(request: HttpRequest) -> dict[str, SafeString]:
    """`content_lang_attr` for the elements that hold user text: `<h1{{ content_lang_attr }}>`."""
    return {"content_lang_attr": content_lang_attr()}
