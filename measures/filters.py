"""The public measure filters, parsed leniently: a bad value is ignored with a note, never a 500."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import FocusArea
from measures.status import Status
from teams.models import Municipality

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# No list has a million pages; a longer number is refused before int() (which raises ValueError
# past 4300 digits).
MAX_PAGE_DIGITS = 6

# Sort keys shown to the visitor, in the order of the select.
SORTS: dict[str, object] = {
    "omrade": gettext_lazy("Satsingsområde"),
    "tittel": gettext_lazy("Tittel (A–Å)"),
    "status": gettext_lazy("Status"),
    "framdrift": gettext_lazy("Framdrift (høyest først)"),
    "oppdatert": gettext_lazy("Sist oppdatert"),
    "frist": gettext_lazy("Planlagt slutt (tidligst først)"),
}
DEFAULT_SORT = "omrade"


@dataclass
class MeasureFilters:
    focus_area: FocusArea | None = None
    municipalities: list[Municipality] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return bool(self.focus_area or self.municipalities or self.statuses or self.q)

    @property
    def active_count(self) -> int:
        """How many filters are chosen (the sort order is none), for «Filtrer (3 valgt)»."""
        return bool(self.focus_area) + len(self.municipalities) + len(self.statuses) + bool(self.q)

    @property
    def municipality_slugs(self) -> list[str]:
        return [m.slug for m in self.municipalities]

    @property
    def status_values(self) -> list[str]:
        return [s.value for s in self.statuses]

    def query_items(self, *, with_sort: bool = True) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        if self.focus_area:
            items.append(("omrade", self.focus_area.slug))
        items += [("kommune", slug) for slug in self.municipality_slugs]
        items += [("status", value) for value in self.status_values]
        if self.q:
            items.append(("q", self.q))
        if with_sort and self.sort != DEFAULT_SORT:
            items.append(("sortering", self.sort))
        return items

    def querystring(self, *, page: int | None = None) -> str:
        """The canonical query string of these filters, for links, exports and pagination."""
        items = self.query_items()
        if page and page > 1:
            items.append(("side", str(page)))
        return urlencode(items)


@dataclass
class MeasureQuery:
    """What a list's query string asks for, read without the database: the focus area and the
    municipalities are slugs, not yet looked up. Unknown parameters and empty values are left
    out; what is malformed is left out with a note."""

    area_slugs: list[str] = field(default_factory=list)
    municipality_slugs: list[str] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    notes: list[str] = field(default_factory=list)

    def cache_key(self, *, with_page: bool = True) -> str | None:
        """The query in one canonical form, for the page cache: two query strings that ask for
        the same list give the same key, whatever else they carry. None when something was left
        out with a note: the page names it, so that page is made for its request alone."""
        if self.notes:
            return None
        items = [("omrade", slug) for slug in self.area_slugs]
        items += [("kommune", slug) for slug in self.municipality_slugs]
        items += [("status", status.value) for status in self.statuses]
        if self.q:
            items.append(("q", self.q))
        if self.sort != DEFAULT_SORT:
            items.append(("sortering", self.sort))
        if with_page and self.page > 1:
            items.append(("side", str(self.page)))
        return urlencode(items)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def read_measure_query(params: QueryDict) -> MeasureQuery:
    """Read a list's query string without the database; malformed values become notes."""
    query = MeasureQuery(
        area_slugs=_unique(params.getlist("omrade")),
        municipality_slugs=_unique(params.getlist("kommune")),
    )
    notes = query.notes

    for value in params.getlist("status"):
        if not value:
            continue
        try:
            status = Status(value)
        except ValueError:
            notes.append(_("Ukjent status «%(value)s» er ignorert.") % {"value": value})
            continue
        if status not in query.statuses:
            query.statuses.append(status)

    # Control characters (PostgreSQL refuses NUL) cannot be part of a meaningful search.
    raw_q = params.get("q", "")
    q = " ".join("".join(c for c in raw_q if c.isprintable() or c == " ").split())
    if any(not (c.isprintable() or c.isspace()) for c in raw_q):
        notes.append(_("Søket inneholdt kontrolltegn; de er fjernet."))
    if len(q) > MAX_QUERY_LENGTH:
        notes.append(
            _("Søket var for langt og er kortet ned til %(count)s tegn.")
            % {"count": MAX_QUERY_LENGTH}
        )
        q = q[:MAX_QUERY_LENGTH]
    query.q = q

    sort = params.get("sortering", "")
    if sort in SORTS:
        query.sort = sort
    elif sort:
        notes.append(_("Ukjent sortering «%(value)s» er ignorert.") % {"value": sort})

    page = params.get("side", "")
    if page:
        if page.isascii() and page.isdigit() and len(page) <= MAX_PAGE_DIGITS and int(page) >= 1:
            query.page = int(page)
        else:
            notes.append(_("Ugyldig sidetall «%(value)s»; viser første side.") % {"value": page})
    return query


def parse_measure_filters(
    params: QueryDict,
    *,
    focus_areas: Sequence[FocusArea],
    municipalities: Sequence[Municipality],
) -> MeasureFilters:
    """Read the filters from a query string; unknown or malformed values become notes."""
    query = read_measure_query(params)
    filters = MeasureFilters(statuses=query.statuses, q=query.q, sort=query.sort, page=query.page)
    notes = filters.notes

    areas_by_slug = {area.slug: area for area in focus_areas}
    for slug in query.area_slugs:
        area = areas_by_slug.get(slug)
        if area is None:
            notes.append(_("Ukjent satsingsområde «%(value)s» er ignorert.") % {"value": slug})
        elif filters.focus_area is None:
            filters.focus_area = area
        else:
            notes.append(
                _("Bare ett satsingsområde kan velges; «%(value)s» er ignorert.") % {"value": slug}
            )

    municipalities_by_slug = {m.slug: m for m in municipalities}
    for slug in query.municipality_slugs:
        municipality = municipalities_by_slug.get(slug)
        if municipality is None:
            notes.append(_("Ukjent kommune «%(value)s» er ignorert.") % {"value": slug})
        else:
            filters.municipalities.append(municipality)

    notes += query.notes
    return filters


def measure_page_key(request: HttpRequest) -> str | None:
    """The page-cache key of a list page (`drivkraft.core.caching.public_page`)."""
    return read_measure_query(request.GET).cache_key()


def measure_export_key(request: HttpRequest) -> str | None:
    """The page-cache key of an export: the whole list, whatever page is asked for."""
    return read_measure_query(request.GET).cache_key(with_page=False)
