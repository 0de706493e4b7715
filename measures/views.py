"""The public pages of the plan: programme, measures, focus areas, updates and open data."""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from drivkraft.core.caching import keep_out_of_cache, public_page
from drivkraft.core.htmx import HtmxHttpRequest, wants_fragment
from measures import selectors
from measures.charts import indicator_chart
from measures.filters import (
    PAGE_SIZE,
    SORTS,
    MeasureFilters,
    measure_export_key,
    measure_page_key,
    parse_measure_filters,
)
from measures.models import STALE_DAYS, FocusArea, Measure, measure_is_stale
from measures.status import STATUSES, Status
from teams import selectors as team_selectors
from teams.models import Municipality


def _filters(request: HttpRequest) -> tuple[MeasureFilters, list[FocusArea], list[Municipality]]:
    focus_areas = list(
        FocusArea.objects.filter(programme__is_current=True).order_by("order", "name")
    )
    municipalities = list(Municipality.objects.order_by("name"))
    filters = parse_measure_filters(
        request.GET, focus_areas=focus_areas, municipalities=municipalities
    )
    return filters, focus_areas, municipalities


def _filters_context(request: HttpRequest) -> tuple[MeasureFilters, dict[str, Any]]:
    """The filters of a list page and what its filter form needs."""
    filters, focus_areas, municipalities = _filters(request)
    context = {
        "filters": filters,
        "focus_areas": focus_areas,
        "municipalities": municipalities,
        "statuses": STATUSES,
    }
    return filters, context


def _page_or_fragment(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], filters: MeasureFilters
) -> HttpResponse:
    """The whole page, or for htmx only its results, pushing the canonical URL of the filters.

    Links to the page itself (the language switch) carry the filters' canonical query, never the
    request's; a page with notes names values of its request, so it is never cached.
    """
    query = filters.querystring(page=filters.page)
    context["page_query"] = query
    if not wants_fragment(request):
        response = render(request, template, context)
    else:
        response = render(request, f"{template}#results", context | {"is_fragment": True})
        push_url(response, f"{request.path}?{query}" if query else request.path)
    return keep_out_of_cache(response) if filters.notes else response


def _page(items: QuerySet[Any], filters: MeasureFilters) -> Page[Any]:
    paginator = Paginator(items, PAGE_SIZE)
    if filters.page > paginator.num_pages:
        filters.notes.append(
            _("Side %(page)s finnes ikke; viser siste side.") % {"page": filters.page}
        )
        filters.page = paginator.num_pages
    return paginator.page(filters.page)


@require_safe
@public_page
def home(request: HtmxHttpRequest) -> HttpResponse:
    programme = selectors.current_programme()
    context: dict[str, Any] = {"programme": programme}
    if programme is not None:
        context |= {
            "distribution": selectors.status_distribution(Measure.objects.public()),
            "focus_areas": selectors.focus_area_list(programme=programme),
            "latest_updates": selectors.latest_updates(limit=10),
            "municipalities": Municipality.objects.order_by("name"),
        }
    return render(request, "measures/home.html", context)


@require_safe
@public_page(key=measure_page_key)
def measure_list(request: HtmxHttpRequest) -> HttpResponse:
    filters, context = _filters_context(request)
    context |= {"sorts": SORTS, "page": _page(selectors.measure_list(filters=filters), filters)}
    return _page_or_fragment(request, "measures/measure_list.html", context, filters)


@require_safe
@public_page
def measure_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    measure = selectors.measure_detail(slug=slug)
    if measure is None:
        raise Http404(_("Fant ikke tiltaket."))
    today = timezone.localdate()
    context = {
        "measure": measure,
        "indicators": [(i, indicator_chart(i)) for i in measure.indicators.all()],
        "same_goal": selectors.same_goal_measures(measure=measure),
        "is_stale": measure_is_stale(measure, today=today, days=STALE_DAYS),
        "stale_days": STALE_DAYS,
        "statuses": STATUSES,
    }
    return render(request, "measures/measure_detail.html", context)


@require_safe
@public_page
def focus_area_list(request: HtmxHttpRequest) -> HttpResponse:
    programme = selectors.current_programme()
    focus_areas = selectors.focus_area_list(programme=programme) if programme else []
    return render(
        request,
        "measures/focus_area_list.html",
        {"focus_areas": focus_areas, "statuses": STATUSES},
    )


@require_safe
@public_page
def focus_area_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    detail = selectors.focus_area_detail(slug=slug)
    if detail is None:
        raise Http404(_("Fant ikke satsingsområdet."))
    context = {
        "area": detail.area,
        "goals": detail.goals,
        "measures_without_goal": detail.measures_without_goal,
        "distribution": detail.distribution,
        "indicators": [(i, indicator_chart(i)) for i in detail.area.indicators.all()],
        "statuses": STATUSES,
    }
    return render(request, "measures/focus_area_detail.html", context)


@require_safe
@public_page(key=measure_page_key)
def update_list(request: HtmxHttpRequest) -> HttpResponse:
    filters, context = _filters_context(request)
    context["page"] = _page(selectors.update_list(filters=filters), filters)
    return _page_or_fragment(request, "measures/update_list.html", context, filters)


# The municipality page lists this many measures; the measure list filtered on the municipality
# holds them all.
MUNICIPALITY_MEASURES = 20


@require_safe
@public_page
def municipality_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measures/municipality_list.html",
        {"municipalities": selectors.municipality_list(), "statuses": STATUSES},
    )


@require_safe
@public_page
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = team_selectors.municipality_detail(slug=slug)
    if municipality is None:
        raise Http404(_("Fant ikke kommunen."))
    measures = selectors.municipality_measures(municipality=municipality)
    distribution = selectors.status_distribution(
        Measure.objects.public().filter(municipalities=municipality)
    )
    context = {
        "municipality": municipality,
        # The most recently updated; all of them, with filters, in the measure list.
        "measures": measures[:MUNICIPALITY_MEASURES],
        "measure_count": distribution.total,
        "distribution": distribution,
        "team_members": team_selectors.business_team_members(municipality=municipality),
        "statuses": STATUSES,
    }
    return render(request, "measures/municipality_detail.html", context)


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


@require_safe
@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")
