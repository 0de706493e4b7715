"""The Frictionless Data Package (datapackage.json) with a Table Schema per CSV file, and the JSON
Schema of each JSON file. Relative paths resolve beside datapackage.json."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from drivkraft.core.revision import current_revision
from measures.catalogue.common import (
    CATALOGUE_DESCRIPTION,
    CATALOGUE_TITLE,
    CC_BY,
    data_url,
    file_url,
    publisher_uri,
)
from measures.open_data import BOOLEAN, DATASETS, DATE, DATETIME, INTEGER, NUMBER, Dataset, Field


def _table_field(field: Field) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": field.name,
        "type": field.type,
        "description": str(field.description),
    }
    if field.type == BOOLEAN:
        descriptor |= {"trueValues": ["true"], "falseValues": ["false"]}
    constraints: dict[str, Any] = {}
    if field.required:
        constraints["required"] = True
    if field.enum:
        constraints["enum"] = list(field.enum)
    if field.minimum is not None:
        constraints["minimum"] = field.minimum
    if field.maximum is not None:
        constraints["maximum"] = field.maximum
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(dataset: Dataset) -> dict[str, Any]:
    """The Table Schema of a dataset's CSV file."""
    schema: dict[str, Any] = {
        "fields": [_table_field(field) for field in dataset.fields],
        "primaryKey": list(dataset.primary_key),
        # An empty cell is a missing value; nothing else is.
        "missingValues": [""],
    }
    if dataset.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(key.fields),
                "reference": {"resource": key.dataset, "fields": list(key.reference)},
            }
            for key in dataset.foreign_keys
        ]
    return schema


def data_package(request: HttpRequest) -> dict[str, Any]:
    """datapackage.json: every file, the CSV files with their Table Schemas."""
    resources: list[dict[str, Any]] = []
    for dataset in DATASETS:
        resources.append(
            {
                "name": dataset.name,
                "type": "table",
                "path": dataset.csv_file,
                "format": "csv",
                "mediatype": "text/csv",
                # UTF-8 with a byte order mark, for spreadsheets; readers skip the mark.
                "encoding": "utf-8",
                "title": str(dataset.title),
                "description": str(dataset.description),
                "schema": table_schema(dataset),
            }
        )
    for dataset in DATASETS:
        resources.append(
            {
                "name": f"{dataset.name}-json",
                "type": "json",
                "path": dataset.json_file,
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "title": str(dataset.title),
                "description": str(
                    _("Det samme som %(file)s, som JSON med metadata; se JSON-skjemaet.")
                    % {"file": dataset.csv_file}
                ),
                # Not a Table Schema: a JSON Schema of the whole file, beside it.
                "jsonSchema": dataset.json_schema_file,
            }
        )
    return {
        "name": "program-drivkraft",
        "id": file_url(request, "datapackage.json"),
        "title": str(CATALOGUE_TITLE),
        "description": str(CATALOGUE_DESCRIPTION),
        "homepage": data_url(request),
        "created": current_revision().changed_at.isoformat(),
        "keywords": sorted({str(k) for dataset in DATASETS for k in dataset.keywords}),
        "licenses": [
            {"name": "CC-BY-4.0", "path": CC_BY, "title": "Creative Commons Attribution 4.0"}
        ],
        "contributors": [
            {
                "title": settings.OPEN_DATA_PUBLISHER_NAME,
                "path": publisher_uri(request),
                "role": "publisher",
            }
        ],
        "resources": resources,
    }


ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _json_field(field: Field) -> dict[str, Any]:
    """A field as the JSON files write it: an empty string where a text or date is missing."""
    description = {"description": str(field.description)}
    if field.is_list:
        return {"type": "array", "items": {"type": "string"}} | description
    if field.type == INTEGER:
        bounds = {"minimum": field.minimum, "maximum": field.maximum}
        return (
            {"type": "integer"} | {k: v for k, v in bounds.items() if v is not None} | description
        )
    if field.type == NUMBER:
        return {"type": "number"} | description
    if field.type == BOOLEAN:
        return {"type": "boolean"} | description
    if field.type == DATE:
        pattern = f"^{ISO_DATE}$" if field.required else f"^({ISO_DATE})?$"
        return {"type": "string", "pattern": pattern} | description
    if field.type == DATETIME:
        if field.required:
            return {"type": "string", "format": "date-time"} | description
        return {"anyOf": [{"type": "string", "format": "date-time"}, {"const": ""}]} | description
    if field.enum:
        values = [*field.enum] if field.required else [*field.enum, ""]
        return {"type": "string", "enum": values} | description
    return {"type": "string"} | ({"minLength": 1} if field.required else {}) | description


def json_schema(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """The JSON Schema (2020-12) of `<dataset>.json`."""
    item = {
        "type": "object",
        "properties": {field.name: _json_field(field) for field in dataset.fields},
        "required": dataset.field_names,
        "additionalProperties": False,
    }
    properties: dict[str, Any] = {
        "schema": {"type": "string", "description": str(_("Siden som beskriver dataene"))},
        "lisens": {"const": "CC BY 4.0"},
        "utgiver": {"type": "string"},
        "generert": {"type": "string", "format": "date-time"},
        "antall": {"type": "integer", "minimum": 0},
        dataset.name: {"type": "array", "items": item},
    }
    required = ["schema", "lisens", "utgiver", "generert", "antall", dataset.name]
    if dataset.name == "tiltak":
        properties |= {
            "filtre": {"type": "object", "description": str(_("Filtrene utvalget er laget med"))},
            "merknader": {
                "type": "array",
                "items": {"type": "string"},
                "description": str(_("Filterverdier som ble ignorert, og hvorfor")),
            },
        }
        required += ["filtre", "merknader"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": file_url(request, dataset.json_schema_file),
        "title": str(dataset.title),
        "description": str(dataset.description),
        "type": "object",
        "properties": properties,
        "required": required,
    }
