"""The report's two layouts, made from a frozen snapshot: the full report (issued to the steering
group) and the compact current status. `render_report_html` is the way in; `reports.pdf` makes
the PDF of what it returns."""

from __future__ import annotations

from collections.abc import Mapping

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from reports.layouts import compact as compact_layout
from reports.layouts import full as full_layout
from reports.pdf import LANGUAGE
from reports.schema import load_snapshot


def render_report_html(
    snapshot: Mapping[str, object], *, compact: bool = False, language: str = LANGUAGE
) -> str:
    """The report's HTML with its labels in `language` (Norwegian by default, whatever the active
    language); all user text escaped. The content (titles, comments, names) is Norwegian: in
    another language each piece of it is marked `lang="nb"`.

    `snapshot` is read with `load_snapshot`: one just built, or one stored by any version.

    `compact` gives the current-status layout: one line per measure, the newest changes listed
    and all of them counted, indicators counted per focus area.
    """
    loaded = load_snapshot(snapshot)
    with translation.override(language):
        if compact:
            context = compact_layout.compact_context(loaded)
            template = compact_layout.TEMPLATE
        else:
            context = full_layout.full_context(loaded)
            template = full_layout.TEMPLATE
        context["language"] = language
        context["nb"] = mark_safe(f' lang="{LANGUAGE}"') if language != LANGUAGE else ""  # noqa: S308
        return render_to_string(template, context)
