"""The indicators, as both layouts show them: the focus areas' one by one with a chart, the
measures' by focus area (in full, or only counted in achievement bands)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from drivkraft.core.formatting import format_number
from reports.charts import (
    BandChart,
    IndicatorChart,
    achievement_band,
    band_chart,
    decimal,
    indicator_chart,
)
from reports.layouts.common import focus_area_of_measures, joined, short_date
from reports.schema import IndicatorData, Snapshot


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
    unit: str
    latest: IndicatorValueView  # the newest measurement; empty values when there is none
    share: str  # how far from the baseline to the target, «75 %»; «–» when it cannot be said


@dataclass(frozen=True)
class MeasureIndicatorGroup:
    focus_area: str
    chart: BandChart
    indicators: list[IndicatorView]  # empty when only counted (the compact layout)
    count: int


def _achievement(data: IndicatorData) -> Decimal | None:
    """How far the latest value has come from the baseline towards the target (1 = reached)."""
    baseline = decimal(data["baseline"])
    target = decimal(data["target"])
    latest = decimal(data["latest"])
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


def _indicator(data: IndicatorData) -> IndicatorView:
    unit = data["unit"] or ""
    values = data["values"]
    achievement = _achievement(data)
    target = format_number(decimal(data["target"]), empty="–")
    baseline = format_number(decimal(data["baseline"]), empty="–")
    if values:
        newest = values[-1]
        latest = IndicatorValueView(
            short_date(newest["date"]), format_number(decimal(newest["value"]), empty="–")
        )
        measured = _("Siste måling %(value)s %(unit)s (%(date)s)") % {
            "value": latest.value,
            "unit": unit,
            "date": latest.date,
        }
    else:
        latest = IndicatorValueView("", "–")
        measured = _("Ingen målinger ennå")
    share = (
        _("%(share)s av veien til målet")
        % {"share": f"{format_number(round(100 * achievement))}\u00a0%"}
        if achievement is not None
        else ""
    )
    return IndicatorView(
        name=data["name"],
        owner=data["owner"]["name"],
        about=joined(
            [
                _("Enhet: %(unit)s") % {"unit": unit} if unit else "",
                "" if data["higher_is_better"] else _("lavere er bedre"),
            ]
        ),
        description=data["description"] or "",
        baseline=IndicatorValueView(short_date(data["baseline_date"]), baseline),
        target=IndicatorValueView(short_date(data["target_date"]), target),
        values=[
            IndicatorValueView(
                date=short_date(v["date"]) + (f" – {v['note']}" if v["note"] else ""),
                value=format_number(decimal(v["value"]), empty="–"),
            )
            for v in values
        ],
        chart=indicator_chart(data),
        summary=joined(
            [
                measured,
                _("mål %(target)s %(unit)s innen %(date)s")
                % {"target": target, "unit": unit, "date": short_date(data["target_date"])},
                _("utgangsverdi %(baseline)s") % {"baseline": baseline},
                share,
            ]
        ),
        band=achievement_band(achievement),
        unit=unit,
        latest=latest,
        share=(
            f"{format_number(round(100 * achievement))}\u00a0%" if achievement is not None else "–"
        ),
    )


def indicator_views(
    snapshot: Snapshot, *, measure_views: bool = True
) -> tuple[list[IndicatorView], list[MeasureIndicatorGroup]]:
    """The focus areas' indicators (charted one by one), and the measures' by the focus area of
    their measure (each with its view, or, without `measure_views`, only counted in the
    achievement bands); a measure the snapshot does not list counts under «Andre tiltak»."""
    area_of = focus_area_of_measures(snapshot)
    programme_level: list[IndicatorView] = []
    by_area: dict[str, list[IndicatorView]] = {}
    bands: dict[str, list[int]] = {}
    for data in snapshot["indicators"]:
        owner = data["owner"]
        if owner["kind"] == "focus_area":
            programme_level.append(_indicator(data))
            continue
        area = area_of.get(owner["slug"], "")
        if measure_views:
            view = _indicator(data)
            by_area.setdefault(area, []).append(view)
            bands.setdefault(area, []).append(view.band)
        else:
            bands.setdefault(area, []).append(achievement_band(_achievement(data)))
    groups = [
        MeasureIndicatorGroup(
            focus_area=name or _("Andre tiltak"),
            chart=band_chart(area_bands),
            indicators=by_area.get(name, []),
            count=len(area_bands),
        )
        for name, area_bands in bands.items()
    ]
    return programme_level, groups
