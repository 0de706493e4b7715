"""A snapshot stored by an earlier version of the code still renders, with the same content.

`fixtures/snapshot_v1_demo.json` is the demo programme's whole-programme snapshot (start to
1 March 2022, as `test_rendering.demo_snapshot` builds it) exactly as the version-1 code stored
it in `Report.snapshot`: attention reasons as Norwegian text, an indicator's owner as a display
name. `snapshot_v1_demo.full.txt` and `snapshot_v1_demo.compact.txt` are the text of the two
layouts that code rendered from it (`document_text`), recorded with that code (commit 6395ab7).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reports.layouts import render_report_html

FIXTURES = Path(__file__).parent / "fixtures"
V1_DEMO = FIXTURES / "snapshot_v1_demo.json"

# Each of these starts a line of `document_text`: a paragraph, a heading, a table cell, a label
# in a chart. The text inside one of them is a line, whitespace collapsed.
_BLOCK_TAGS = """
    body caption div h1 h2 h3 h4 h5 head header html li meta nav ol p section svg table tbody td
    text th thead title tr ul
"""
BLOCKS = frozenset(_BLOCK_TAGS.split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._break()
        if tag == "meta" and dict(attrs).get("content"):
            self.lines.append(f"[{dict(attrs).get('name')}] {dict(attrs)['content']}")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def document_text(html: str) -> str:
    """What a reader gets from the report's HTML: every text, the charts' labels and the
    document's metadata, one block a line; not the markup, the classes or the coordinates."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._break()
    return "\n".join(parser.lines) + "\n"


def v1_demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(V1_DEMO.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("layout", ["full", "compact"])
def test_a_v1_snapshot_renders_both_layouts_with_the_content_it_had(layout: str) -> None:
    html = render_report_html(v1_demo(), compact=layout == "compact")

    expected = (FIXTURES / f"snapshot_v1_demo.{layout}.txt").read_text(encoding="utf-8")
    assert document_text(html) == expected
