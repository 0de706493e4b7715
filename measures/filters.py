"""The public measure filters, parsed leniently: a bad value is ignored with a note, never a 500."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
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


def parse_measure_filters(
    params: QueryDict,
    *,
    focus_areas: Sequence[FocusArea],
    municipalities: Sequence[Municipality],
) -> MeasureFilters:
    """Read the filters from a query string; unknown or malformed values become notes."""
    filters = MeasureFilters()
    notes = filters.notes

    areas_by_slug = {area.slug: area for area in focus_areas}
    for slug in params.getlist("omrade"):
        if not slug:
            continue
        area = areas_by_slug.get(slug)
        if area is None:
            notes.append(_("Ukjent satsingsområde «%(value)s» er ignorert.") % {"value": slug})
        elif filters.focus_area is None:
            filters.focus_area = area
        elif area != filters.focus_area:
            notes.append(
                _("Bare ett satsingsområde kan velges; «%(value)s» er ignorert.") % {"value": slug}
            )

    municipalities_by_slug = {m.slug: m for m in municipalities}
    for slug in params.getlist("kommune"):
        if not slug:
            continue
        municipality = municipalities_by_slug.get(slug)
        if municipality is None:
            notes.append(_("Ukjent kommune «%(value)s» er ignorert.") % {"value": slug})
        elif municipality not in filters.municipalities:
            filters.municipalities.append(municipality)

    for value in params.getlist("status"):
        if not value:
            continue
        try:
            status = Status(value)
        except ValueError:
            notes.append(_("Ukjent status «%(value)s» er ignorert.") % {"value": value})
            continue
        if status not in filters.statuses:
            filters.statuses.append(status)

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
    filters.q = q

    sort = params.get("sortering", "")
    if sort in SORTS:
        filters.sort = sort
    elif sort:
        notes.append(_("Ukjent sortering «%(value)s» er ignorert.") % {"value": sort})

    page = params.get("side", "")
    if page:
        if page.isascii() and page.isdigit() and len(page) <= MAX_PAGE_DIGITS and int(page) >= 1:
            filters.page = int(page)
        else:
            notes.append(_("Ugyldig sidetall «%(value)s»; viser første side.") % {"value": page})
    return filters
