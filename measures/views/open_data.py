"""Open data: the files anyone may harvest, and the page that describes them."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from drivkraft.core.caching import keep_out_of_cache, public_page
from measures import selectors
from measures.filters import MeasureFilters, measure_export_key
from measures.status import STATUSES, Status
from measures.views.pages import _filters


@require_safe
@public_page
def data_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measures/data.html",
        {"fields": EXPORT_FIELDS, "statuses": STATUSES},
    )


# The open-data schema. Names and meanings are stable; new fields are only ever added at the end.
EXPORT_FIELDS: list[tuple[str, Any]] = [
    ("slug", _lazy("Tiltakets faste ID (brukes i adressen)")),
    ("tittel", _lazy("Tiltakets tittel")),
    ("satsingsomrade", _lazy("Satsingsområdet tiltaket hører til")),
    ("mal", _lazy("Målet tiltaket skal bidra til (kan være tomt)")),
    ("status", _lazy("Statusverdi, se tabellen over statusverdier")),
    ("status_tekst", _lazy("Statusen i klartekst")),
    ("framdrift", _lazy("Framdrift i prosent, 0–100")),
    ("planlagt_start", _lazy("Planlagt start (ÅÅÅÅ-MM-DD, kan være tomt)")),
    ("planlagt_slutt", _lazy("Planlagt slutt i den vedtatte planen (ÅÅÅÅ-MM-DD, kan være tomt)")),
    ("forventet_slutt", _lazy("Forventet slutt nå (ÅÅÅÅ-MM-DD, kan være tomt)")),
    ("forsinket", _lazy("true når forventet slutt er senere enn planlagt slutt")),
    ("sist_oppdatert", _lazy("Tidspunkt for siste statusoppdatering (ISO 8601, kan være tomt)")),
    ("ansvarlig", _lazy("Tiltaksansvarlig person")),
    ("ansvarlig_organisasjon", _lazy("Organisasjonen den ansvarlige hører til")),
    ("kommuner", _lazy("Kommunene som deltar (navn, skilt med semikolon i CSV)")),
    ("url", _lazy("Adressen til tiltakets side")),
]


def _export_rows(request: HttpRequest) -> tuple[list[dict[str, Any]], MeasureFilters]:
    filters, _areas, _municipalities = _filters(request)
    rows = []
    for measure in selectors.measure_list(filters=filters):
        responsible = measure.responsible
        rows.append(
            {
                "slug": measure.slug,
                "tittel": measure.title,
                "satsingsomrade": measure.focus_area.name,
                "mal": measure.goal.title if measure.goal else "",
                "status": measure.status,
                "status_tekst": str(Status(measure.status).label),
                "framdrift": measure.progress,
                "planlagt_start": measure.planned_start.isoformat()
                if measure.planned_start
                else "",
                "planlagt_slutt": measure.planned_end.isoformat() if measure.planned_end else "",
                "forventet_slutt": measure.forecast_end.isoformat() if measure.forecast_end else "",
                "forsinket": measure.is_delayed,
                "sist_oppdatert": (
                    timezone.localtime(measure.last_status_update_at).isoformat()
                    if measure.last_status_update_at
                    else ""
                ),
                "ansvarlig": responsible.name if responsible else "",
                "ansvarlig_organisasjon": (
                    responsible.organisation.name
                    if responsible and responsible.organisation
                    else ""
                ),
                "kommuner": [m.name for m in measure.municipalities.all()],
                "url": request.build_absolute_uri(measure.get_absolute_url()),
            }
        )
    return rows, filters


# A spreadsheet program reads a cell that begins with one of these as a formula (=HYPERLINK(…),
# =cmd|…), whoever wrote the title. OWASP's advice («CSV Injection»): begin such a cell with a
# single quote, which the program shows as text and does not evaluate.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet will not evaluate; numbers stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@require_safe
@public_page(key=measure_export_key)
def data_csv(request: HttpRequest) -> HttpResponse:
    rows, filters = _export_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tiltak.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.DictWriter(response, fieldnames=[name for name, _meaning in EXPORT_FIELDS])
    writer.writeheader()
    for row in rows:
        cells = row | {
            "kommuner": "; ".join(row["kommuner"]),
            "forsinket": "true" if row["forsinket"] else "false",
        }
        writer.writerow({name: spreadsheet_safe(value) for name, value in cells.items()})
    return keep_out_of_cache(response) if filters.notes else response


@require_safe
@public_page(key=measure_export_key)
def data_json(request: HttpRequest) -> HttpResponse:
    rows, filters = _export_rows(request)
    payload = {
        "schema": request.build_absolute_uri(reverse("measures:data")),
        "lisens": "CC BY 4.0",
        "utgiver": "Hålogalandsrådet",
        "generert": timezone.localtime().isoformat(),
        "filtre": {
            "omrade": filters.focus_area.slug if filters.focus_area else None,
            "kommune": filters.municipality_slugs,
            "status": filters.status_values,
            "q": filters.q,
            "sortering": filters.sort,
        },
        "merknader": filters.notes,
        "antall": len(rows),
        "tiltak": rows,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return keep_out_of_cache(response) if filters.notes else response
