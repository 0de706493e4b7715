"""The status report as HTML and as a tagged PDF, made from a frozen snapshot.

`render_report_html(snapshot)` turns the snapshot (see `reports.snapshot.build_snapshot`) into the
report's HTML, always in Norwegian; `render_pdf(html, title=...)` lays it out with WeasyPrint as
PDF/UA-1. WeasyPrint fetches only through `StaticOnlyURLFetcher`, which serves our own static
files and nothing else: no network, no `file:` URLs, no `data:` URLs.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib import parse, request
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.text import Truncator
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from drivkraft.core.formatting import format_number
from measures.models import STALE_DAYS
from reports.charts import (
    BandChart,
    IndicatorChart,
    achievement_band,
    band_chart,
    decimal,
    distribution_chart,
    indicator_chart,
)

logger = logging.getLogger(__name__)

AUTHOR = "Hålogalandsrådet"
LANGUAGE = "nb"
TEMPLATE = "reports/pdf/report.html"
# The current status (/rapporter/gjeldende.pdf): the same snapshot, one line per measure.
COMPACT_TEMPLATE = "reports/pdf/current.html"
# How many of the period's changes the compact report lists (newest first); it counts them all.
LATEST_CHANGES = 10

# A private scheme and host: nothing outside this process can answer it, so a URL under it can
# only ever mean one of our static files.
SCHEME = "drivkraft-report"
BASE_URL = f"{SCHEME}://local/"
# urljoin() leaves relative references alone under schemes it does not know as hierarchical;
# registering ours lets "/static/reports/report.css" resolve against BASE_URL like under https.
for _registry in (parse.uses_relative, parse.uses_netloc):
    if SCHEME not in _registry:
        _registry.append(SCHEME)


class URLRefused(ValueError):
    """WeasyPrint asked for something that is not one of our static files."""


def _static_prefix() -> str:
    """The path part of STATIC_URL, with slashes at both ends ("/static/")."""
    path = urlsplit(settings.STATIC_URL or "/static/").path
    return "/" + path.strip("/") + "/"


class StaticOnlyURLFetcher(URLFetcher):
    """Answers only BASE_URL + STATIC_URL paths, from the static files finders; refuses the rest.

    Records every URL it was asked for in `requested`, so tests can see what a document tried.
    """

    def __init__(self) -> None:
        # URLFetcher.__init__ installs handlers for http(s), ftp, file and data and builds a TLS
        # context (tens of milliseconds). This fetcher opens none of those, so it starts from a
        # bare opener with no handlers at all.
        request.OpenerDirector.__init__(self)
        self._fail_on_errors = False
        self._request = None
        self.requested: list[str] = []

    def _refuse(self, url: str, reason: str) -> URLRefused:
        logger.warning("Rapport-PDF: nektet å hente %s (%s)", url, reason)
        return URLRefused(f"Refused {url!r}: {reason}")

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        try:
            parts = urlsplit(url)
        except ValueError as error:
            raise self._refuse(url, "malformed URL") from error
        if parts.scheme != SCHEME or parts.netloc != urlsplit(BASE_URL).netloc:
            raise self._refuse(url, "not a report resource")
        if parts.query or parts.fragment:
            raise self._refuse(url, "query or fragment")
        prefix = _static_prefix()
        path = unquote(parts.path)
        if not path.startswith(prefix):
            raise self._refuse(url, "outside the static files")
        relative = path.removeprefix(prefix)
        if (
            not relative
            or "\\" in relative
            or "\x00" in relative
            or relative.startswith("/")
            or posixpath.normpath(relative) != relative
            or any(part in ("", ".", "..") for part in relative.split("/"))
        ):
            raise self._refuse(url, "not a plain static path")
        found = finders.find(relative)
        if not found or not isinstance(found, str):
            raise self._refuse(url, "no such static file")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        body = Path(found).read_bytes()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


# --- What the template sees -------------------------------------------------------------------
# Plain, preformatted values: the template only places them, so rendering stays cheap and every
# number and date reads the same way throughout the report.


@dataclass(frozen=True)
class StatusView:
    value: str
    label: str
    symbol: str
    colour: str


@dataclass(frozen=True)
class StatusCount:
    status: StatusView
    count: int


@dataclass(frozen=True)
class Distribution:
    total: int
    counts: list[StatusCount]  # every status, zeros included: one table column each
    progress: str

    @property
    def nonzero(self) -> list[StatusCount]:
        return [c for c in self.counts if c.count]


@dataclass(frozen=True)
class MeasureView:
    title: str
    status: StatusView
    status_line: str
    details: str
    brief: str  # who answers for it and when it was last updated
    reasons: str


@dataclass(frozen=True)
class GoalGroup:
    title: str
    measures: list[MeasureView]


@dataclass(frozen=True)
class FocusAreaView:
    name: str
    anchor: str
    distribution: Distribution
    summary: str
    goals: list[GoalGroup]
    by_status: list[StatusGroup] = field(default_factory=list)  # the compact layout's


@dataclass(frozen=True)
class ChangeView:
    date: str
    measure: str
    change: str  # from → to, progress, comment and who reported it


@dataclass(frozen=True)
class YearOfChanges:
    year: str
    changes: list[ChangeView]


@dataclass(frozen=True)
class IndicatorValueView:
    date: str
    value: str


@dataclass(frozen=True)
class IndicatorView:
    name: str
    owner: str
    about: str
    description: str
    baseline: IndicatorValueView
    target: IndicatorValueView
    values: list[IndicatorValueView]
    chart: IndicatorChart | None
    summary: str
    band: int


@dataclass(frozen=True)
class MeasureIndicatorGroup:
    focus_area: str
    chart: BandChart
    indicators: list[IndicatorView]  # empty when only counted (the compact report)
    count: int


@dataclass(frozen=True)
class StatusGroup:
    """The compact report's measures of one status in a focus area, one line each."""

    status: StatusView
    lines: list[str]

    @property
    def text(self) -> str:
        # One block of lines (laid out with `white-space: pre-line`): far cheaper for WeasyPrint
        # than a block per measure.
        return "\n".join(self.lines)


@dataclass(frozen=True)
class RunIn:
    """A labelled paragraph of many short items: far cheaper to lay out than a line each."""

    name: str
    count: int
    text: str


@dataclass(frozen=True)
class SubGoalView:
    number: int
    title: str
    status: StatusView | None
    assessment: str


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    if "T" in value:
        return dt.datetime.fromisoformat(value).date()
    return dt.date.fromisoformat(value)


def _short(value: str | None) -> str:
    day = _date(value)
    return formats.date_format(day, "d.m.Y") if day else ""


def _long(value: str | None) -> str:
    day = _date(value)
    return formats.date_format(day, "j. F Y") if day else ""


def _statuses(snapshot: dict[str, Any]) -> dict[str, StatusView]:
    return {
        s["value"]: StatusView(
            value=s["value"], label=s["label"], symbol=s["symbol"], colour=s["colour"]
        )
        for s in snapshot["statuses"]
    }


def _status(value: str, statuses: dict[str, StatusView]) -> StatusView:
    if value in statuses:
        return statuses[value]
    return StatusView(value=value, label=value, symbol="?", colour="#4a5560")


def _distribution(data: dict[str, Any], statuses: dict[str, StatusView]) -> Distribution:
    by_status = data.get("by_status", {})
    progress = data.get("progress")
    return Distribution(
        total=data.get("total", 0),
        counts=[StatusCount(status, by_status.get(value, 0)) for value, status in statuses.items()],
        progress="–" if progress is None else f"{progress}\u00a0%",
    )


def _joined(parts: Iterable[str]) -> str:
    return " · ".join(part for part in parts if part)


def _measure(row: dict[str, Any], statuses: dict[str, StatusView]) -> MeasureView:
    status = _status(row["status"], statuses)
    responsible = row.get("responsible") or ""
    if responsible and row.get("responsible_organisation"):
        responsible = f"{responsible} ({row['responsible_organisation']})"
    start, end = _short(row.get("planned_start")), _short(row.get("planned_end"))
    forecast = row.get("forecast_end")
    municipalities = ", ".join(row.get("municipalities", []))
    who = f"Ansvarlig: {responsible}" if responsible else "Ansvarlig: ikke satt"
    updated = f"Sist oppdatert: {_short(row.get('last_update')) or 'aldri'}"
    return MeasureView(
        title=row["title"],
        status=status,
        status_line=f"{status.symbol} {status.label} · {row.get('progress') or 0}\u00a0% fullført",
        details=_joined(
            [
                who,
                f"Plan: {start}–{end}" if start or end else "",
                f"Prognose: {_short(forecast)}"
                if forecast and forecast != row.get("planned_end")
                else "",
                updated,
                f"Kommuner: {municipalities}" if municipalities else "",
            ]
        ),
        brief=_joined([who, updated]),
        reasons="; ".join(row.get("reasons", [])),
    )


def _focus_areas(
    snapshot: dict[str, Any], statuses: dict[str, StatusView], *, measures: bool = True
) -> list[FocusAreaView]:
    views = []
    for index, area in enumerate(snapshot.get("focus_areas", []), start=1):
        distribution = _distribution(area["distribution"], statuses)
        # The plan's hierarchy: focus area, then goal, then measure (in the snapshot's order).
        goals: dict[str, list[MeasureView]] = {}
        for row in area["measures"] if measures else []:
            goals.setdefault(row.get("goal") or "", []).append(_measure(row, statuses))
        views.append(
            FocusAreaView(
                name=area["name"],
                anchor=f"omrade-{index}",
                distribution=distribution,
                summary=_joined(
                    [
                        f"{distribution.total} tiltak",
                        *(
                            f"{c.status.symbol} {c.count} {c.status.label.lower()}"
                            for c in distribution.nonzero
                        ),
                        f"gjennomsnittlig framdrift {distribution.progress}",
                    ]
                ),
                goals=[
                    GoalGroup(title or "Uten mål", measures) for title, measures in goals.items()
                ],
            )
        )
    return views


def _changes(snapshot: dict[str, Any], statuses: dict[str, StatusView]) -> list[YearOfChanges]:
    years: dict[str, list[ChangeView]] = {}
    for change in snapshot.get("changes", []):
        before = _status(change["from"], statuses)
        after = _status(change["to"], statuses)
        progress = change.get("progress")
        text = (
            f"{before.symbol} {before.label} → {after.symbol} {after.label}"
            + (f" ({progress}\u00a0%)" if progress is not None else "")
            + "."
            + (f" {change['comment']}" if change.get("comment") else "")
            + (f" – {change['author']}" if change.get("author") else "")
        )
        years.setdefault(change["date"][:4], []).append(
            ChangeView(_short(change["date"]), change["measure"], text)
        )
    return [YearOfChanges(year, changes) for year, changes in years.items()]


def _achievement(data: dict[str, Any]) -> Decimal | None:
    """How far the latest value has come from the baseline towards the target (1 = reached)."""
    baseline = decimal(data.get("baseline"))
    target = decimal(data.get("target"))
    latest = decimal(data.get("latest"))
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


def _indicator(data: dict[str, Any]) -> IndicatorView:
    unit = data.get("unit") or ""
    higher = data.get("higher_is_better", True)
    values = data.get("values", [])
    achievement = _achievement(data)
    target = format_number(decimal(data.get("target")), empty="–")
    baseline = format_number(decimal(data.get("baseline")), empty="–")
    if values:
        latest = values[-1]
        measured = (
            f"Siste måling {format_number(decimal(latest.get('value')), empty='–')} {unit} "
            f"({_short(latest.get('date'))})"
        )
    else:
        measured = "Ingen målinger ennå"
    share = (
        f"{format_number(round(100 * achievement))}\u00a0% av veien til målet"
        if achievement is not None
        else ""
    )
    return IndicatorView(
        name=data["name"],
        owner=data.get("owner") or "",
        about=_joined([f"Enhet: {unit}" if unit else "", "" if higher else "lavere er bedre"]),
        description=data.get("description") or "",
        baseline=IndicatorValueView(_short(data.get("baseline_date")), baseline),
        target=IndicatorValueView(_short(data.get("target_date")), target),
        values=[
            IndicatorValueView(
                date=_short(v.get("date")) + (f" – {v['note']}" if v.get("note") else ""),
                value=format_number(decimal(v.get("value")), empty="–"),
            )
            for v in values
        ],
        chart=indicator_chart(data),
        summary=_joined(
            [
                measured,
                f"mål {target} {unit} innen {_short(data.get('target_date'))}",
                f"utgangsverdi {baseline}",
                share,
            ]
        ),
        band=achievement_band(achievement),
    )


def _indicators(
    snapshot: dict[str, Any], *, measure_views: bool = True
) -> tuple[list[IndicatorView], list[MeasureIndicatorGroup]]:
    """The focus areas' indicators (charted one by one), and the measures' by focus area (each
    with its view, or, without `measure_views`, only counted in the achievement bands)."""
    area_names = {area["name"] for area in snapshot.get("focus_areas", [])}
    measure_area = {
        m["title"]: area["name"]
        for area in snapshot.get("focus_areas", [])
        for m in area["measures"]
    }
    programme_level: list[IndicatorView] = []
    by_area: dict[str, list[IndicatorView]] = {}
    bands: dict[str, list[int]] = {}
    for data in snapshot.get("indicators", []):
        owner = data.get("owner") or ""
        if owner in area_names and owner not in measure_area:
            programme_level.append(_indicator(data))
            continue
        area = measure_area.get(owner, "")
        if measure_views:
            view = _indicator(data)
            by_area.setdefault(area, []).append(view)
            bands.setdefault(area, []).append(view.band)
        else:
            bands.setdefault(area, []).append(achievement_band(_achievement(data)))
    groups = [
        MeasureIndicatorGroup(
            focus_area=name or "Andre tiltak",
            chart=band_chart(area_bands),
            indicators=by_area.get(name, []),
            count=len(area_bands),
        )
        for name, area_bands in bands.items()
    ]
    return programme_level, groups


def report_context(snapshot: dict[str, Any], *, compact: bool = False) -> dict[str, Any]:
    """Everything the template shows, derived from the snapshot alone (call it in Norwegian).

    `compact` leaves out what only the full report shows: a view of every measure and change,
    the measures' indicators one by one, the municipalities' chart.
    """
    statuses = _statuses(snapshot)
    programme = snapshot["programme"]
    period = snapshot["period"]
    figures = snapshot.get("figures", {})
    focus_areas = _focus_areas(snapshot, statuses, measures=not compact)
    municipalities = snapshot.get("municipalities", [])
    changes = [] if compact else _changes(snapshot, statuses)
    area_indicators, measure_indicators = _indicators(snapshot, measure_views=not compact)
    return {
        "title": snapshot["title"],
        "author": AUTHOR,
        "programme": programme,
        "scope": snapshot["scope"],
        "period_start": _long(period["start"]),
        "period_end": _long(period["end"]),
        "generated": _long(snapshot.get("generated_at")),
        "generated_at": snapshot.get("generated_at") or "",
        "statuses": list(statuses.values()),
        "figures": figures,
        "distribution": _distribution(figures, statuses),
        "area_chart": distribution_chart(
            [
                (a["name"], a["distribution"]["by_status"])
                for a in snapshot.get("focus_areas", [])
                if a["distribution"]["total"]
            ],
            snapshot["statuses"],
        ),
        "sub_goals": [
            SubGoalView(
                number=g["number"],
                title=g["title"],
                status=_status(g["status"], statuses) if g.get("status") else None,
                assessment=g.get("assessment") or "",
            )
            for g in programme.get("sub_goals", [])
        ],
        "change_count": len(snapshot.get("changes", [])),
        "changes_by_year": changes,
        "attention": (
            snapshot.get("attention", [])
            if compact
            else [_measure(m, statuses) for m in snapshot.get("attention", [])]
        ),
        "focus_areas": focus_areas,
        "charted_areas": [a for a in focus_areas if a.distribution.total],
        "area_indicators": area_indicators,
        "measure_indicators": measure_indicators,
        "municipalities": [
            (m["name"], _distribution(m["distribution"], statuses)) for m in municipalities
        ],
        "municipality_chart": None
        if compact
        else distribution_chart(
            [(m["name"], m["distribution"]["by_status"]) for m in municipalities],
            snapshot["statuses"],
        ),
    }


# --- The compact current-status report ----------------------------------------------------------

# The snapshot's attention reasons, shortened for a run-in list.
SHORT_REASONS = {
    "Forsinket": "forsinket",
    "Forventet slutt er etter planen": "prognose etter planen",
    "Stanset": "stanset",
}


def _month(value: str | None) -> str:
    day = _date(value)
    return formats.date_format(day, "m.Y") if day else ""


def _measure_line(row: dict[str, Any], flagged: bool) -> str:
    """Title, progress, responsible, planned end and last update; the status is the group's."""
    return _joined(
        [
            ("⚑ " if flagged else "") + row["title"],
            f"{row.get('progress') or 0}\u00a0%",
            row.get("responsible") or "ingen ansvarlig",
            _month(row.get("planned_end")) or "uten frist",
            _short(row.get("last_update")) or "aldri oppdatert",
        ]
    )


def _status_groups(
    area: dict[str, Any], statuses: dict[str, StatusView], flagged: set[str]
) -> list[StatusGroup]:
    """A focus area's measures grouped by status, in the vocabulary's order."""
    groups: dict[str, list[str]] = {value: [] for value in statuses}
    for row in area["measures"]:
        groups.setdefault(row["status"], []).append(_measure_line(row, row["slug"] in flagged))
    return [
        StatusGroup(_status(value, statuses), lines) for value, lines in groups.items() if lines
    ]


def _short_reason(reason: str) -> str:
    if reason in SHORT_REASONS:
        return SHORT_REASONS[reason]
    if reason.startswith("Ikke oppdatert"):
        return "ikke oppdatert"
    return reason.lower()


def _attention_groups(snapshot: dict[str, Any]) -> tuple[list[RunIn], int]:
    """The measures that are delayed, late or stopped, one paragraph per focus area; and how
    many more need attention only because they have not been updated (those are flagged in the
    measure list, not named twice)."""
    by_area: dict[str, list[str]] = {}
    only_stale = 0
    for row in snapshot.get("attention", []):
        reasons = [_short_reason(r) for r in row.get("reasons", [])]
        if reasons == ["ikke oppdatert"]:
            only_stale += 1
            continue
        by_area.setdefault(row.get("focus_area") or "", []).append(
            f"{row['title']} ({', '.join(reasons)})"
        )
    groups = [
        RunIn(name or "Uten satsingsområde", len(items), "; ".join(items) + ".")
        for name, items in by_area.items()
    ]
    return groups, only_stale


def _counted(counts: list[StatusCount]) -> str:
    return ", ".join(
        f"{c.status.symbol} {c.count} {c.status.label.lower()}" for c in counts if c.count
    )


def _change_summary(snapshot: dict[str, Any], statuses: dict[str, StatusView]) -> list[RunIn]:
    """The period's changes counted per focus area and the status they changed to."""
    area_of = {
        m["slug"]: area["name"]
        for area in snapshot.get("focus_areas", [])
        for m in area["measures"]
    }
    counts: dict[str, dict[str, int]] = {area["name"]: {} for area in snapshot["focus_areas"]}
    for change in snapshot.get("changes", []):
        row = counts.setdefault(area_of.get(change.get("slug", ""), "Andre tiltak"), {})
        row[change["to"]] = row.get(change["to"], 0) + 1
    return [
        RunIn(
            name,
            sum(row.values()),
            "til " + _counted([StatusCount(s, row.get(v, 0)) for v, s in statuses.items()]) + ".",
        )
        for name, row in counts.items()
        if row
    ]


def _latest_changes(
    snapshot: dict[str, Any], statuses: dict[str, StatusView], limit: int = LATEST_CHANGES
) -> list[ChangeView]:
    views = []
    for change in reversed(snapshot.get("changes", [])[-limit:]):
        before = _status(change["from"], statuses)
        after = _status(change["to"], statuses)
        comment = Truncator(change.get("comment") or "").chars(70)
        views.append(
            ChangeView(
                _short(change["date"]),
                change["measure"],
                f"{before.symbol} {before.label} → {after.symbol} {after.label}."
                + (f" {comment}" if comment else ""),
            )
        )
    return views


def compact_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What the compact current-status template shows, on top of `report_context`."""
    context = report_context(snapshot, compact=True)
    statuses = _statuses(snapshot)
    flagged = {row["slug"] for row in snapshot.get("attention", [])}
    attention_groups, only_stale = _attention_groups(snapshot)
    latest_changes = _latest_changes(snapshot, statuses)
    groups = {
        area["name"]: _status_groups(area, statuses, flagged)
        for area in snapshot.get("focus_areas", [])
    }
    context["focus_areas"] = [
        replace(area, by_status=groups[area.name]) for area in context["focus_areas"]
    ]
    context.update(
        compact=True,
        stale_days=STALE_DAYS,
        latest_changes=latest_changes,
        change_summary=_change_summary(snapshot, statuses),
        indicator_summary=[
            RunIn(
                group.focus_area,
                group.count,
                "; ".join(f"{row.label.lower()} {row.count}" for row in group.chart.rows) + ".",
            )
            for group in context["measure_indicators"]
        ],
        municipality_summary=[
            RunIn(
                name,
                d.total,
                f"framdrift {d.progress}" + (f"; {_counted(d.counts)}" if d.total else "") + ".",
            )
            for name, d in context["municipalities"]
        ],
        attention_groups=attention_groups,
        only_stale=only_stale,
        measure_indicator_count=sum(g.count for g in context["measure_indicators"]),
    )
    return context


def render_report_html(snapshot: dict[str, Any], *, compact: bool = False) -> str:
    """The report's HTML, in Norwegian whatever the active language; all user text escaped.

    `compact` gives the current-status layout: one line per measure, the newest changes listed
    and all of them counted, indicators counted per focus area.
    """
    with translation.override(LANGUAGE):
        if compact:
            return render_to_string(COMPACT_TEMPLATE, compact_context(snapshot))
        return render_to_string(TEMPLATE, report_context(snapshot))


def render_pdf(
    html: str, *, title: str, url_fetcher: StaticOnlyURLFetcher | None = None
) -> tuple[bytes, int]:
    """Lay out `html` as a tagged PDF/UA-1 document; return the PDF and its page count.

    Metadata: `title`, author Hålogalandsrådet, language nb. Only static files are fetched.
    """
    document = HTML(
        string=html, base_url=BASE_URL, url_fetcher=url_fetcher or StaticOnlyURLFetcher()
    ).render()
    document.metadata.title = title
    document.metadata.authors = [AUTHOR]
    document.metadata.lang = LANGUAGE
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)
