"""The public pages of the plan: programme, measures, focus areas, updates, municipalities and the
accessibility statement. The open data and the embeddable views have modules of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from drivkraft.core.caching import keep_out_of_cache, public_page
from drivkraft.core.htmx import HtmxHttpRequest, wants_fragment
from measures import selectors
from measures.charts import indicator_chart
from measures.extensions import measure_sections
from measures.filters import (
    PAGE_SIZE,
    SORTS,
    MeasureFilters,
    measure_page_key,
    parse_measure_filters,
)
from measures.models import FocusArea, Measure, measure_is_stale, stale_age_text
from measures.status import STATUSES
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


# The home page names this many of the things that need attention; the rest are a link away.
HOME_ATTENTION = 8


@require_safe
@public_page
def home(request: HtmxHttpRequest) -> HttpResponse:
    programme = selectors.current_programme()
    context: dict[str, Any] = {"programme": programme}
    if programme is not None:
        context |= {
            "distribution": selectors.status_distribution(Measure.objects.public()),
            "attention": selectors.needs_attention(
                today=timezone.localdate(), limit=HOME_ATTENTION
            ),
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


# A measure page names this many of the other measures for its goal; the focus area's page, and
# the list filtered on the area, hold them all.
SAME_GOAL_MEASURES = 10


@require_safe
@public_page
def measure_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    measure = selectors.measure_detail(slug=slug)
    if measure is None:
        raise Http404(_("Fant ikke tiltaket."))
    today = timezone.localdate()
    same_goal = selectors.same_goal_measures(measure=measure, limit=SAME_GOAL_MEASURES)
    listed = {other.pk for other in same_goal}
    context = {
        "measure": measure,
        "indicators": [(i, indicator_chart(i)) for i in measure.indicators.all()],
        "same_goal": same_goal,
        "same_goal_limit": SAME_GOAL_MEASURES,
        # Related measures that «Øvrige tiltak for samme mål» does not name already.
        "related": [
            other
            for other in getattr(measure, "public_related", [])  # prefetched to this attribute
            if other.pk not in listed
        ],
        "is_stale": measure_is_stale(measure, today=today),
        "stale_days": settings.STALE_DAYS,
        "stale_age": (
            stale_age_text(measure.last_status_update_at, today)
            if measure.last_status_update_at
            else None
        ),
        "statuses": STATUSES,
        "milestones": selectors.milestone_groups(list(measure.milestones.all()), today=today),
        "pending_decisions": [d for d in measure.decisions.all() if d.is_pending],
        "timeline": selectors.measure_timeline(measure),
        # What later apps add to the page (participation's input), measures/extensions.py.
        "extra_sections": measure_sections(measure),
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


# A focus area's page shows this many measures per goal; the measure list filtered on the area
# holds them all.
FOCUS_AREA_MEASURES = 20


@require_safe
@public_page
def focus_area_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    detail = selectors.focus_area_detail(slug=slug, limit=FOCUS_AREA_MEASURES)
    if detail is None:
        raise Http404(_("Fant ikke satsingsområdet."))
    context = {
        "area": detail.area,
        "goals": detail.goals,
        "measures_without_goal": detail.measures_without_goal,
        "limit": FOCUS_AREA_MEASURES,
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
    groups = selectors.municipality_measure_groups(
        municipality=municipality, limit=MUNICIPALITY_MEASURES
    )
    context = {
        "municipality": municipality,
        # Each part the most recently updated first; all of them, with filters, in the list.
        "groups": groups,
        "limit": MUNICIPALITY_MEASURES,
        "distribution": groups.distribution,
        "team_members": team_selectors.business_team_members(municipality=municipality),
        "statuses": STATUSES,
    }
    return render(request, "measures/municipality_detail.html", context)


# The day the accessibility statement's text was last reviewed: change it with the text
# (templates/accessibility.html), and the statement at uustatus.no with both.
ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 11, 29)


@require_safe
@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accessibility.html",
        {
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
            "statement_url": settings.ACCESSIBILITY_STATEMENT_URL,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        },
    )
