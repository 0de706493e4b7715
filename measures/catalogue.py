"""The descriptions of the open data, all made from `measures.open_data.DATASETS`:

- `data_package`: a Frictionless Data Package (datapackage.json) with a Table Schema per CSV file;
- `json_schema`: the JSON Schema of each JSON file;
- `catalogue_graph`: the DCAT-AP-NO catalogue for data.norge.no (Turtle and JSON-LD);
- `schema_org`: schema.org `DataCatalog` JSON-LD for the data page, for search engines.

Every address in them is absolute and in the default language: a harvester gets the same
identifiers whichever page it started from. Relative paths (the Data Package's) resolve beside
datapackage.json.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from drivkraft.core.revision import current_revision
from measures import selectors
from measures.open_data import (
    BOOLEAN,
    DATASETS,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    Dataset,
    Field,
)
from teams.models import Municipality

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE_NOB = URIRef(EU + "language/NOB")
LICENCE = URIRef(EU + "licence/CC_BY_4_0")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
STABLE = URIRef(EU + "planned-availability/STABLE")
THEME_TAXONOMY = URIRef(EU + "data-theme")
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

# The languages the catalogue's texts are given in: the site's.
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Format:
    """A file format of the datasets: its extension, IANA media type and EU file type."""

    suffix: str
    media_type: str
    file_type: str
    label: Promise


CSV = Format("csv", "text/csv", "CSV", _("kommaseparert, UTF-8"))
JSON = Format("json", "application/json", "JSON", _("JSON med metadata"))
FORMATS = (CSV, JSON)


def _absolute(request: HttpRequest, name: str, *, kwargs: dict[str, Any] | None = None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def data_url(request: HttpRequest) -> str:
    """The data page: the catalogue's home, and the base of its identifiers."""
    return _absolute(request, "measures:data")


def file_url(request: HttpRequest, filename: str) -> str:
    """A file beside datapackage.json."""
    return data_url(request) + filename


def publisher_uri(request: HttpRequest) -> str:
    """The publisher in Enhetsregisteret; without an organisation number (a warning of
    `check --deploy`), an address of its own on this site rather than a made-up number."""
    number = settings.OPEN_DATA_PUBLISHER_ORGNR
    return f"{BRREG}{number}" if number else data_url(request) + "#utgiver"


def _texts(text: Promise) -> dict[str, str]:
    """A translated text in every language of the site."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(text)
    return texts


CATALOGUE_TITLE = _("Åpne data fra Program Drivkraft")
CATALOGUE_DESCRIPTION = _(
    "Tiltakene i Program Drivkraft – strategisk næringsrettet kommunesamarbeid i "
    "Hålogalandsrådet – med status, historikk og indikatorer, som CSV og JSON."
)


# --- Frictionless Data Package ---------------------------------------------------------------


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


# --- JSON Schema -----------------------------------------------------------------------------

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


# --- DCAT-AP-NO ------------------------------------------------------------------------------


def _lang_literals(text: Promise) -> Iterable[Literal]:
    return (Literal(value, lang=language) for language, value in _texts(text).items())


def catalogue_graph(request: HttpRequest) -> Graph:
    """The DCAT-AP-NO catalogue: the catalogue, a dataset per `Dataset` with a distribution per
    format, the publisher (Enhetsregisteret) and the contact point, covering the municipalities
    (Kartverket's administrative units)."""
    base = data_url(request)
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("dcatap", DCATAP)

    catalogue = URIRef(base + "#katalog")
    publisher = URIRef(publisher_uri(request))
    contact = URIRef(base + "#kontakt")
    homepage = URIRef(_absolute(request, "measures:home"))
    modified = Literal(current_revision().changed_at.date(), datatype=XSD.date)
    spatial = [
        URIRef(m.administrative_unit_uri)
        for m in Municipality.objects.exclude(number="").order_by("number")
    ]
    programme = selectors.current_programme()

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER_NAME, lang="nb")))
    if settings.OPEN_DATA_PUBLISHER_ORGNR:
        graph.add((publisher, DCTERMS.identifier, Literal(settings.OPEN_DATA_PUBLISHER_ORGNR)))

    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER_NAME, lang="nb")))
    if settings.OPEN_DATA_CONTACT_EMAIL:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")))
    # An address to reach someone is required; without a contact setting, the site's own.
    graph.add((contact, VCARD.hasURL, URIRef(settings.OPEN_DATA_CONTACT_URL or homepage)))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    for literal in _lang_literals(CATALOGUE_TITLE):
        graph.add((catalogue, DCTERMS.title, literal))
    for literal in _lang_literals(CATALOGUE_DESCRIPTION):
        graph.add((catalogue, DCTERMS.description, literal))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCAT.contactPoint, contact))
    graph.add((catalogue, FOAF.homepage, homepage))
    graph.add((catalogue, DCTERMS.license, LICENCE))
    graph.add((catalogue, DCTERMS.language, LANGUAGE_NOB))
    graph.add((catalogue, DCAT.themeTaxonomy, THEME_TAXONOMY))
    graph.add((catalogue, DCTERMS.modified, modified))
    for place in spatial:
        graph.add((catalogue, DCTERMS.spatial, place))

    period = None
    if programme is not None:
        period = URIRef(base + "#periode")
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(programme.start, datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(programme.end, datatype=XSD.date)))

    for dataset in DATASETS:
        node = URIRef(f"{base}#{dataset.name}")
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        for literal in _lang_literals(dataset.title):
            graph.add((node, DCTERMS.title, literal))
        for literal in _lang_literals(dataset.description):
            graph.add((node, DCTERMS.description, literal))
        for keyword in dataset.keywords:
            for literal in _lang_literals(keyword):
                graph.add((node, DCAT.keyword, literal))
        for theme in dataset.themes:
            graph.add((node, DCAT.theme, THEME[theme]))
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCTERMS.accessRights, PUBLIC))
        graph.add((node, DCTERMS.language, LANGUAGE_NOB))
        graph.add((node, DCTERMS.modified, modified))
        graph.add((node, DCAT.landingPage, URIRef(base)))
        for place in spatial:
            graph.add((node, DCTERMS.spatial, place))
        if period is not None:
            graph.add((node, DCTERMS.temporal, period))
        for file_format in FORMATS:
            filename = f"{dataset.name}.{file_format.suffix}"
            distribution = URIRef(f"{base}#{dataset.name}-{file_format.suffix}")
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(filename)))
            for literal in _lang_literals(file_format.label):
                graph.add((distribution, DCTERMS.description, literal))
            graph.add((distribution, DCAT.accessURL, URIRef(base)))
            graph.add((distribution, DCAT.downloadURL, URIRef(file_url(request, filename))))
            graph.add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPE + file_format.media_type)))
            graph.add((distribution, DCTERMS.format, FILE_TYPE[file_format.file_type]))
            graph.add((distribution, DCTERMS.license, LICENCE))
            graph.add((distribution, DCATAP.availability, STABLE))
            schema_file = "datapackage.json" if file_format is CSV else dataset.json_schema_file
            graph.add((distribution, DCTERMS.conformsTo, URIRef(file_url(request, schema_file))))
    return graph


# --- schema.org ------------------------------------------------------------------------------


def schema_org(request: HttpRequest) -> dict[str, Any]:
    """A schema.org `DataCatalog` of the datasets, in the page's language, for the data page."""
    publisher = {
        "@type": "GovernmentOrganization",
        "@id": publisher_uri(request),
        "name": settings.OPEN_DATA_PUBLISHER_NAME,
    }
    places = [
        {
            "@type": "AdministrativeArea",
            "name": m.name,
            **({"sameAs": m.administrative_unit_uri} if m.number else {}),
        }
        for m in Municipality.objects.order_by("name")
    ]
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "@id": data_url(request) + "#katalog",
        "name": str(CATALOGUE_TITLE),
        "description": str(CATALOGUE_DESCRIPTION),
        "url": data_url(request),
        "inLanguage": "nb",
        "license": CC_BY,
        "publisher": publisher,
        "dataset": [
            {
                "@type": "Dataset",
                "@id": f"{data_url(request)}#{dataset.name}",
                "name": str(dataset.title),
                "description": str(dataset.description),
                "url": data_url(request),
                "keywords": [str(k) for k in dataset.keywords],
                "license": CC_BY,
                "isAccessibleForFree": True,
                "inLanguage": "nb",
                "creator": publisher,
                "publisher": publisher,
                "spatialCoverage": places,
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "name": f"{dataset.name}.{file_format.suffix}",
                        "encodingFormat": file_format.media_type,
                        "contentUrl": file_url(request, f"{dataset.name}.{file_format.suffix}"),
                    }
                    for file_format in FORMATS
                ],
            }
            for dataset in DATASETS
        ],
    }
