"""The open data as a harvester reads it: datapackage.json and every file it names, validated with
the `frictionless` library, and each JSON file against its JSON Schema."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import frictionless
import jsonschema
import pytest
from django.test import Client

from drivkraft.core.revision import content_changed
from measures.models import Indicator, Measure, StatusUpdate
from measures.open_data import DATASETS, MEASURES
from tests.conftest import (
    ARCHIVED_COMMENT,
    DRAFT_COMMENT,
    HIDDEN_STRINGS,
    MEASURE_SLUG,
    add_measures,
    assert_query_count_is_constant,
)

FILES = [
    "datapackage.json",
    *[dataset.csv_file for dataset in DATASETS],
    *[dataset.json_file for dataset in DATASETS],
    *[dataset.json_schema_file for dataset in DATASETS],
]


def download(client: Client, tmp_path: Path, prefix: str = "") -> Path:
    """Every published file into one folder, as a harvester would fetch them beside
    datapackage.json; returns the package's path."""
    for name in FILES:
        response = client.get(f"{prefix}/data/{name}")
        assert response.status_code == 200, name
        (tmp_path / name).write_bytes(response.content)
    return tmp_path / "datapackage.json"


def errors(report: frictionless.Report) -> list[Any]:
    flat: list[Any] = report.flatten(["type", "title", "note"])
    return flat


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_package_and_every_file_are_valid(client, portal, tmp_path, prefix):
    add_measures(portal, 12)
    package = download(client, tmp_path, prefix)

    report = frictionless.validate(str(package))

    assert report.valid, errors(report)
    descriptor = json.loads(package.read_text())
    # Every file of every dataset is described, and every path resolves beside the package.
    paths = {resource["path"] for resource in descriptor["resources"]}
    assert paths == {d.csv_file for d in DATASETS} | {d.json_file for d in DATASETS}
    # Every CSV file was read as a table with rows: an empty one proves nothing.
    assert {
        task.name: task.stats["rows"] for task in report.tasks if task.type == "table"
    }.keys() >= {d.name for d in DATASETS}
    assert all(
        task.stats["rows"] > 0 for task in report.tasks if task.name in {d.name for d in DATASETS}
    )


def test_each_csv_file_has_its_table_schema(client, portal, tmp_path):
    package = frictionless.Package(str(download(client, tmp_path)))

    for dataset in DATASETS:
        resource = package.get_resource(dataset.name)
        assert resource.schema.field_names == dataset.field_names
        assert resource.schema.primary_key == list(dataset.primary_key)
        # The byte order mark (for spreadsheets) is not part of the first column's name.
        with resource:
            assert resource.header == dataset.field_names  # type: ignore[attr-defined]


def test_the_keys_link_the_files(client, portal, tmp_path):
    """Foreign keys are checked: an update of a measure missing from tiltak.csv is an error."""
    package_path = download(client, tmp_path)
    lines = (tmp_path / "tiltak.csv").read_text(encoding="utf-8-sig").splitlines()
    (tmp_path / "tiltak.csv").write_text(
        "\n".join(line for line in lines if not line.startswith(MEASURE_SLUG)) + "\n"
    )

    report = frictionless.validate(str(package_path))

    assert not report.valid
    assert "foreign-key" in {error["type"] for error in errors_as_dicts(report)}


def errors_as_dicts(report: frictionless.Report) -> list[dict[str, Any]]:
    return [{"type": error.type} for task in report.tasks for error in task.errors]


def test_a_wrong_value_is_found(client, portal, tmp_path):
    """The schemas are not just decoration: a progress of 140 breaks the table schema."""
    package_path = download(client, tmp_path)
    path = tmp_path / "tiltak.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0]["framdrift"] = "140"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MEASURES.field_names)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())

    report = frictionless.validate(str(package_path))

    assert "constraint-error" in {error["type"] for error in errors_as_dicts(report)}


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: d.name)
def test_each_json_file_matches_its_json_schema(client, portal, dataset):
    add_measures(portal, 5)
    schema = client.get(f"/data/{dataset.json_schema_file}")
    assert schema["Content-Type"] == "application/schema+json"
    data = client.get(f"/data/{dataset.json_file}").json()

    jsonschema.Draft202012Validator.check_schema(schema.json())
    jsonschema.Draft202012Validator(
        schema.json(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    assert data["antall"] == len(data[dataset.name]) > 0


def test_the_json_schema_refuses_what_the_file_must_not_hold(client, portal):
    schema = client.get("/data/tiltak.schema.json").json()
    data = client.get("/data/tiltak.json").json()
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(data)

    for change in [
        {"framdrift": 101},
        {"status": "ferdig"},
        {"planlagt_slutt": "31.12.2026"},
        {"epost": "kari@example.org"},
    ]:
        broken = json.loads(json.dumps(data))
        broken["tiltak"][0] |= change
        assert not validator.is_valid(broken), change


def test_the_csv_encoding_is_declared_as_readers_expect(client, portal, tmp_path):
    descriptor = json.loads(download(client, tmp_path).read_text())

    for resource in descriptor["resources"]:
        assert resource["encoding"] == "utf-8"
    # The file itself begins with the byte order mark that spreadsheet programs need.
    assert (tmp_path / "tiltak.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_package_names_licence_publisher_and_homepage(client, portal):
    descriptor = client.get("/data/datapackage.json").json()

    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["homepage"] == "http://testserver/data/"
    assert descriptor["contributors"][0]["path"] == (
        "https://data.brreg.no/enhetsregisteret/api/enheter/000000000"
    )


# --- What is published, and what is not -----------------------------------------------------


def test_only_public_data_is_published(client, portal):
    """No draft's or archived measure's update, indicator or name; no e-mail address."""
    indicator = Indicator.objects.create(
        measure=portal.draft,
        name="Hemmelig indikator",
        unit="stk",
        baseline=0,
        target=1,
        target_date=dt.date(2027, 1, 1),
    )
    content_changed()

    for dataset in DATASETS:
        for name in (dataset.csv_file, dataset.json_file):
            body = client.get(f"/data/{name}").content.decode("utf-8-sig")
            for hidden in [*HIDDEN_STRINGS, DRAFT_COMMENT, ARCHIVED_COMMENT, indicator.name]:
                assert hidden not in body, (name, hidden)
            assert "@example.org" not in body, name  # the responsible person's e-mail


def test_the_status_updates(client, portal):
    items = client.get("/data/statusoppdateringer.json").json()["statusoppdateringer"]

    assert [item["id"] for item in items] == [portal.update.pk]
    item = items[0]
    assert item["tiltak"] == MEASURE_SLUG
    assert item["status"] == "etter-plan"
    assert item["forrige_status"] == "ikke-startet"
    assert item["framdrift"] == 40
    assert item["kommentar"] == "Godt i gang med rekrutteringen."
    assert item["rapportert_av"] == "Kari Nordmann"
    assert StatusUpdate.objects.filter(measure__is_published=False).exists()


def test_the_indicators_and_their_values(client, portal):
    indicators = client.get("/data/indikatorer.json").json()["indikatorer"]
    values = client.get("/data/indikatorverdier.json").json()["indikatorverdier"]

    by_name = {item["navn"]: item for item in indicators}
    assert by_name["Nye lærlingplasser"]["tiltak"] == MEASURE_SLUG
    assert by_name["Nye lærlingplasser"]["satsingsomrade"] == ""
    assert by_name["Fagbrev i regionen"]["tiltak"] == ""
    assert by_name["Fagbrev i regionen"]["satsingsomrade"] == "Kompetanse"
    assert values == [
        {
            "indikator": by_name["Nye lærlingplasser"]["id"],
            "dato": "2025-01-01",
            "verdi": 12,
            "merknad": "",
        }
    ]
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/data/indikatorverdier.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[0]["verdi"] == "12"


def test_the_measures_files_name_the_responsible_persons_municipality(client, portal):
    item = next(
        i for i in client.get("/data/tiltak.json").json()["tiltak"] if i["slug"] == MEASURE_SLUG
    )

    assert item["ansvarlig"] == "Kari Nordmann"
    assert item["ansvarlig_kommune"] == "Harstad"
    assert list(item)[-1] == "ansvarlig_kommune"  # new fields only at the end


@pytest.mark.parametrize(
    "url",
    [
        "/data/datapackage.json",
        *[f"/data/{d.csv_file}" for d in DATASETS],
        *[f"/data/{d.json_file}" for d in DATASETS],
        "/data/katalog.ttl",
        "/data/katalog.jsonld",
    ],
)
def test_query_count_is_constant(
    client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
):
    assert_query_count_is_constant(
        client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
    )


@pytest.mark.parametrize("url", ["/data/indikatorer.csv?x=1", "/data/datapackage.json?side=2"])
def test_files_without_filters_ignore_the_query_string(client, portal, url):
    plain = client.get(url.split("?")[0])
    assert client.get(url).content == plain.content


def test_open_data_may_be_read_by_scripts_of_other_sites(client, portal):
    for name in ["datapackage.json", "tiltak.csv", "indikatorer.json", "katalog.ttl"]:
        assert client.get(f"/data/{name}")["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_dataset_is_not_found(client, portal):
    assert client.get("/data/hemmelig.csv").status_code == 404
    assert client.get("/data/hemmelig.schema.json").status_code == 404


def test_a_new_measure_appears_in_every_file(client, portal):
    (measure,) = add_measures(portal, 1, prefix="ny")
    assert Measure.objects.public().filter(pk=measure.pk).exists()

    for dataset in DATASETS:
        body = client.get(f"/data/{dataset.json_file}").content.decode()
        if dataset.name in {"tiltak", "statusoppdateringer", "indikatorer"}:
            assert measure.slug in body or measure.title in body, dataset.name
