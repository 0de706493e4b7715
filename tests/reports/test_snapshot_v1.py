"""A snapshot stored by an earlier version of the code still loads, and renders with the same
content (`reports.schema.load_snapshot`).

`fixtures/snapshot_v1_demo.json` is the demo programme's whole-programme snapshot (start to
1 March 2022, as `test_rendering.demo_snapshot` builds it) exactly as the version-1 code stored
it in `Report.snapshot`: attention reasons as Norwegian text, an indicator's owner as a display
name. `snapshot_v1_demo.full.txt` and `snapshot_v1_demo.compact.txt` are the text of the two
layouts rendered from it (`document_text`): first recorded with that code (commit 6395ab7), then
again when the layouts gained page 1, labelled dates and tables (snapshot version 3). Between the
two recordings only that changed: the same measures, changes, indicators and figures, less the
completed and stopped measures the old code put on the attention list.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reports.layouts import render_report_html
from reports.schema import FINISHED_STATUSES, SNAPSHOT_VERSION, load_snapshot
from tests.reports.conftest import Small, small_snapshot

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


# --- Loading: the upgrade in memory -----------------------------------------------------------


def test_a_v1_snapshot_loads_as_the_current_version_and_stays_as_stored() -> None:
    stored = v1_demo()
    before = copy.deepcopy(stored)

    loaded = load_snapshot(stored)

    assert stored == before  # upgraded as a new object, the stored one untouched
    assert loaded["version"] == SNAPSHOT_VERSION == 3
    assert loaded["stale_days"] == 90
    # Completed and stopped measures are never on an attention list: the upgrade drops them.
    running = [row for row in stored["attention"] if row["status"] not in FINISHED_STATUSES]
    assert len(running) < len(stored["attention"])
    old_reasons = [row["reasons"] for row in running]
    new_reasons = [row["reasons"] for row in loaded["attention"]]
    words = {"Forsinket": "delayed", "Ikke oppdatert på over 90 dager": "stale"}
    assert {text for row in stored["attention"] for text in row["reasons"]} == {
        *words,
        "Forventet slutt er etter planen",
        "Stanset",
    }
    assert new_reasons == [[words[text] for text in reasons] for reasons in old_reasons]
    # In the demo only completed measures had a forecast after the plan.
    assert {code for reasons in new_reasons for code in reasons} == {"delayed", "stale"}
    # Everything else is as stored; what version 1 did not have is empty.
    assert [dict(row, reasons=[]) for row in loaded["attention"]] == [
        dict(row, reasons=[]) for row in running
    ]
    assert [dict(i, owner="") for i in loaded["indicators"]] == [
        dict(i, owner="") for i in stored["indicators"]
    ]
    as_loaded: Mapping[str, object] = loaded  # looked up by keys that vary
    for key in set(stored) - {"version", "attention", "indicators"}:
        assert as_loaded[key] == stored[key], key
    assert loaded["decisions"] == []
    assert loaded["late_milestones"] == []
    assert loaded["since_previous"] is None
    assert loaded["as_of"] == stored["period"]["end"]


def test_a_v1_indicator_owner_is_a_focus_area_only_by_a_name_no_measure_has() -> None:
    stored = v1_demo()
    areas = {area["name"]: area["slug"] for area in stored["focus_areas"]}
    measures = {m["title"]: m["slug"] for a in stored["focus_areas"] for m in a["measures"]}

    owners = [indicator["owner"] for indicator in load_snapshot(stored)["indicators"]]

    assert owners == [
        {"kind": "focus_area", "slug": areas[old["owner"]], "name": old["owner"]}
        if old["owner"] in areas
        else {"kind": "measure", "slug": measures[old["owner"]], "name": old["owner"]}
        for old in stored["indicators"]
    ]
    assert {owner["kind"] for owner in owners} == {"focus_area", "measure"}
    # A measure titled like a focus area: the version-1 layout took the name for the measure's.
    area_owned = next(i for i in stored["indicators"] if i["owner"] in areas)
    namesake = stored["focus_areas"][-1]["measures"][0]
    namesake["title"] = area_owned["owner"]
    upgraded = load_snapshot(stored)["indicators"][stored["indicators"].index(area_owned)]
    assert upgraded["owner"] == {
        "kind": "measure",
        "slug": namesake["slug"],
        "name": area_owned["owner"],
    }


def test_a_v1_snapshot_keeps_the_stale_days_its_reasons_name() -> None:
    stored = v1_demo()
    for row in stored["attention"]:
        row["reasons"] = [r.replace("over 90 dager", "over 60 dager") for r in row["reasons"]]

    assert load_snapshot(stored)["stale_days"] == 60
    for compact in (False, True):
        text = document_text(render_report_html(stored, compact=compact))
        assert "oppdatert på over 60 dager" in text
        assert "90 dager" not in text


def test_a_current_snapshot_loads_as_it_is(small: Small) -> None:
    snapshot = small_snapshot(small)

    assert snapshot["version"] == SNAPSHOT_VERSION
    assert load_snapshot(snapshot) is snapshot


@pytest.mark.parametrize("version", [None, 0, 4, "3"])
def test_an_unknown_version_is_refused(version: object) -> None:
    stored = v1_demo()
    stored["version"] = version

    with pytest.raises(ValueError, match="version"):
        load_snapshot(stored)


def test_a_v1_reason_the_old_code_never_gave_is_refused() -> None:
    stored = v1_demo()
    stored["attention"][0]["reasons"] = ["Glemt"]

    with pytest.raises(ValueError, match="Glemt"):
        load_snapshot(stored)
