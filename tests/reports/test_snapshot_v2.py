"""A version-2 snapshot (stored by reports issued before page 1 «Til styringsgruppen») still loads,
and renders with the current layouts (`reports.schema.load_snapshot`).

`fixtures/snapshot_v2_demo.json` is the demo programme's whole-programme snapshot (start to
1 March 2022, as `test_rendering.demo_snapshot` builds it) exactly as the version-2 code stored it
(commit eaf60da). `snapshot_v2_demo.full.txt` and `snapshot_v2_demo.compact.txt` are the text the
current layouts render from it (`document_text`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

import pytest

from reports.layouts import render_report_html
from reports.schema import FINISHED_STATUSES, SNAPSHOT_VERSION, load_snapshot
from tests.reports.test_snapshot_v1 import FIXTURES, document_text

V2_DEMO = FIXTURES / "snapshot_v2_demo.json"


def v2_demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(V2_DEMO.read_text(encoding="utf-8"))
    assert data["version"] == 2
    return data


@pytest.mark.parametrize("layout", ["full", "compact"])
def test_a_v2_snapshot_renders_both_layouts(layout: str) -> None:
    html = render_report_html(v2_demo(), compact=layout == "compact")

    expected = (FIXTURES / f"snapshot_v2_demo.{layout}.txt").read_text(encoding="utf-8")
    assert document_text(html) == expected


def test_a_v2_snapshot_loads_as_version_3_and_stays_as_stored() -> None:
    stored = v2_demo()
    before = copy.deepcopy(stored)

    loaded = load_snapshot(stored)

    assert stored == before  # upgraded as a new object, the stored one untouched
    assert loaded["version"] == SNAPSHOT_VERSION == 3
    # Version 2 put completed and stopped measures on the attention list; they are dropped.
    finished = [row for row in stored["attention"] if row["status"] in FINISHED_STATUSES]
    assert [row["status"] for row in finished] == ["gjennomfort"] * 3 + ["stanset"] * 2
    assert loaded["attention"] == [row for row in stored["attention"] if row not in finished]
    # What version 2 did not have: no decisions, no milestones, no comparison made.
    assert loaded["decisions"] == []
    assert loaded["late_milestones"] == []
    assert loaded["since_previous"] is None
    assert loaded["as_of"] == stored["period"]["end"]
    as_loaded: Mapping[str, object] = loaded
    for key in set(stored) - {"version", "attention"}:
        assert as_loaded[key] == stored[key], key


def test_page_one_of_a_v2_snapshot_says_no_comparison_was_made() -> None:
    text = document_text(render_report_html(v2_demo()))

    page_one = text[text.index("Til styringsgruppen") : text.index("Innhold")]
    assert "Rapporten ble laget før rapportene ble sammenlignet med den forrige" in page_one
    assert "Ingen saker venter på beslutning fra styringsgruppen." in page_one
    assert "Ingen milepæler er forsinket." in page_one
    # The stale ones, oldest first, with how long ago (counted from the period's end).
    assert (
        "Digitalisere historiefortellingen Tore Hunds rike · Kari Nordmann · "
        "Sist oppdatert 25.06.2021 (for 8 måneder siden)"
    ) in page_one
    for row in v2_demo()["attention"]:
        if row["status"] in FINISHED_STATUSES:
            assert row["title"] not in page_one
