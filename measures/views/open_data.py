"""Open data: the files anyone may harvest, their descriptions, and the page that explains them.

The files are made from `measures.open_data.DATASETS`; their descriptions (Data Package, JSON
Schema, DCAT-AP-NO, schema.org) from `measures.catalogue`. The measures' files take the measure
list's filters; every other file is the whole dataset and ignores the query string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from drivkraft.core.caching import keep_out_of_cache, public_page
from measures import catalogue
from measures.filters import measure_export_key
from measures.open_data import (
    DATASETS,
    DATASETS_BY_NAME,
    MEASURES,
    Dataset,
    Row,
    iter_csv,
    iter_json,
    measure_count,
    measure_rows,
    spreadsheet_safe,
    write_csv,
)
from measures.status import STATUSES
from measures.views.pages import _filters
from teams.models import Municipality

# The measures' fields as (name, meaning), in the files' order.
EXPORT_FIELDS = [(field.name, field.description) for field in MEASURES.fields]

__all__ = ["EXPORT_FIELDS", "spreadsheet_safe"]

JSON_DUMPS = {"ensure_ascii": False, "indent": 2}


def _open[R: HttpResponseBase](response: R) -> R:
    """Open data may be read by scripts on any site (no credentials are involved)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _dataset(name: str) -> Dataset:
    dataset = DATASETS_BY_NAME.get(name)
    if dataset is None:
        raise Http404(_("Fant ikke datasettet."))
    return dataset


def dataset_urls(dataset: Dataset) -> dict[str, str]:
    """The paths of a dataset's files: CSV, JSON and the JSON file's schema."""
    prefix = "data" if dataset is MEASURES else f"data_{dataset.name}"
    return {
        "csv": reverse(f"measures:{prefix}_csv"),
        "json": reverse(f"measures:{prefix}_json"),
        "schema": reverse(f"measures:data_{dataset.name}_schema"),
    }


def _embed_snippets(request: HttpRequest) -> list[tuple[Municipality, str]]:
    """The iframe code a municipality pastes into its own site, in the page's language."""
    snippets = []
    for municipality in Municipality.objects.order_by("name"):
        url = request.build_absolute_uri(
            reverse("measures:embed_municipality", kwargs={"slug": municipality.slug})
        )
        title = _("Tiltak i %(name)s – Program Drivkraft") % {"name": municipality.name}
        # Plain text (the template escapes it); its attribute values escaped for HTML.
        code = (
            f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="640" '
            'loading="lazy"></iframe>'
        )
        snippets.append((municipality, code))
    return snippets


def json_ld(data: dict[str, Any]) -> SafeString:
    """A JSON-LD data block: data, not script (the Content-Security-Policy lets it be), with
    the characters that could end the element escaped, as Django's `json_script` does."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char, escaped in (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@require_safe
@public_page
def data_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measures/data.html",
        {
            "datasets": [(dataset, dataset_urls(dataset)) for dataset in DATASETS],
            "measures_dataset": MEASURES,
            "statuses": STATUSES,
            "embed_snippets": _embed_snippets(request),
            "json_ld": json_ld(catalogue.schema_org(request)),
        },
    )


def _payload(
    request: HttpRequest,
    dataset: Dataset,
    rows: list[Row],
    *,
    selection: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A JSON file: metadata, then (for a filtered file) how it was selected, the count and the
    rows under the dataset's name."""
    return {
        "schema": request.build_absolute_uri(reverse("measures:data")),
        "lisens": "CC BY 4.0",
        "utgiver": settings.OPEN_DATA_PUBLISHER_NAME,
        "generert": timezone.localtime().isoformat(),
        **(selection or {}),
        "antall": len(rows),
        dataset.name: rows,
    }


def _csv_response(dataset: Dataset, rows: list[Row]) -> HttpResponse:
    response = HttpResponse(write_csv(dataset, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{dataset.csv_file}"'
    return _open(response)


# The measures' files stream: read from the database and sent a chunk at a time, so that their
# memory stays the same however many measures there are (tests/measures/test_growth.py).
def _streamed(pieces: Iterator[str], content_type: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(pieces, content_type=content_type)


@require_safe
@public_page(key=measure_export_key)
def data_csv(request: HttpRequest) -> HttpResponseBase:
    filters, _areas, _municipalities = _filters(request)
    response = _streamed(
        iter_csv(MEASURES, measure_rows(request, filters)), "text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{MEASURES.csv_file}"'
    _open(response)
    return keep_out_of_cache(response) if filters.notes else response


@require_safe
@public_page(key=measure_export_key)
def data_json(request: HttpRequest) -> HttpResponseBase:
    filters, _areas, _municipalities = _filters(request)
    # The filters the selection was made with, and what was ignored.
    selection = {
        "filtre": {
            "omrade": filters.focus_area.slug if filters.focus_area else None,
            "kommune": filters.municipality_slugs,
            "status": filters.status_values,
            "q": filters.q,
            "sortering": filters.sort,
        },
        "merknader": filters.notes,
    }
    head = _payload(request, MEASURES, [], selection=selection)
    head["antall"] = measure_count(filters)
    del head[MEASURES.name]
    response = _streamed(
        iter_json(head, MEASURES.name, measure_rows(request, filters)), "application/json"
    )
    _open(response)
    return keep_out_of_cache(response) if filters.notes else response


@require_safe
@public_page
def dataset_csv(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset(name)
    return _csv_response(dataset, list(dataset.rows(request)))


@require_safe
@public_page
def dataset_json(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset(name)
    payload = _payload(request, dataset, list(dataset.rows(request)))
    return _open(JsonResponse(payload, json_dumps_params=JSON_DUMPS))


@require_safe
@public_page
def dataset_schema(request: HttpRequest, name: str) -> HttpResponse:
    schema = catalogue.json_schema(request, _dataset(name))
    return _open(
        JsonResponse(schema, json_dumps_params=JSON_DUMPS, content_type="application/schema+json")
    )


@require_safe
@public_page
def data_package(request: HttpRequest) -> HttpResponse:
    return _open(JsonResponse(catalogue.data_package(request), json_dumps_params=JSON_DUMPS))


@require_safe
@public_page
def catalogue_turtle(request: HttpRequest) -> HttpResponse:
    text = catalogue.catalogue_graph(request).serialize(format="turtle")
    return _open(HttpResponse(text, content_type="text/turtle; charset=utf-8"))


@require_safe
@public_page
def catalogue_json_ld(request: HttpRequest) -> HttpResponse:
    text = catalogue.catalogue_graph(request).serialize(format="json-ld", indent=2)
    return _open(HttpResponse(text, content_type="application/ld+json"))
