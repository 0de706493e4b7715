"""The status colours exist once for the pages and the PDF (static/css/status.css); the SVG
charts' presentation attributes take the same mark colours from STATUS_INFO."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from measures.status import STATUS_INFO

STATUS_CSS = Path(settings.BASE_DIR) / "static" / "css" / "status.css"
PROPERTY = re.compile(r"--status-([a-z-]+?)(-text)?:\s*(#[0-9a-f]{6});")


def status_css_colours() -> dict[str, str]:
    """Every `--status-…` custom property of status.css, by name (without `--status-`)."""
    return {
        name + (text or ""): colour
        for name, text, colour in PROPERTY.findall(STATUS_CSS.read_text())
    }


def test_status_css_has_a_mark_and_a_text_colour_for_every_status_and_no_other() -> None:
    values = [info.value for info in STATUS_INFO.values()]

    assert sorted(status_css_colours()) == sorted(values + [f"{v}-text" for v in values])


def test_the_charts_draw_with_the_mark_colours_of_status_css() -> None:
    colours = status_css_colours()

    assert {info.value: info.colour for info in STATUS_INFO.values()} == {
        info.value: colours[info.value] for info in STATUS_INFO.values()
    }


def test_no_other_stylesheet_spells_out_a_status_colour() -> None:
    colours = set(status_css_colours().values())
    # The same hues for other things: an indicator's target (green), a warning's rule (orange)
    # and an error message (red).
    allowed = {
        "static/reports/report.css": {"#1e7b34"},
        "static/css/colours.css": {"#c25400", "#a4161a"},
    }
    offences = []
    for css in (Path(settings.BASE_DIR) / "static").rglob("*.css"):
        relative = css.relative_to(settings.BASE_DIR).as_posix()
        if css == STATUS_CSS or relative.startswith("static/admin/"):
            continue
        found = set(re.findall(r"#[0-9a-f]{6}", css.read_text().lower()))
        offences += [(relative, c) for c in (found & colours) - allowed.get(relative, set())]

    assert offences == []
