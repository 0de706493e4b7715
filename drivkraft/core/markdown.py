"""User-written Markdown as safe HTML: the one renderer for pages, previews and feeds."""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


# User text sits under a page's h2 («Om tiltaket», «Forhåndsvisning»).
FIRST_HEADING = 3
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _nest_headings(html: str) -> str:
    """The text's headings from h3 down, in the order of their levels and never skipping one:
    `## Mål` then `#### Delmål` are h3 and h4, however deep the writer started or jumped."""
    used = sorted({int(level) for closing, level in _HEADING_TAG.findall(html) if not closing})
    rank = {level: i for i, level in enumerate(used)}
    previous = FIRST_HEADING - 1
    current = FIRST_HEADING

    def renumber(match: re.Match[str]) -> str:
        nonlocal previous, current
        closing, level = match.group(1), int(match.group(2))
        if not closing:
            current = min(FIRST_HEADING + rank[level], previous + 1, 6)
            previous = current
        return f"<{closing}h{current}>"

    return _HEADING_TAG.sub(renumber, html)


def render_markdown(text: str | None) -> SafeString:
    """Markdown rendered to HTML and sanitised: no raw HTML, scripts, styles or images survive.

    Headings start at h3 and skip no level, so that user text never breaks the page's heading
    structure.
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    html = _nest_headings(html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
