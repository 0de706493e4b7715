"""SVG charts for the printed report, computed from the frozen snapshot (never from the database).

Each chart is a plain dataclass of coordinates and texts; the template draws it with presentation
attributes only. Every chart has its numbers beside it as text, and status segments carry their
symbol and count, so nothing is said by colour alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, gettext_lazy

from drivkraft.core.formatting import format_number
from measures.charts import indicator_scale
from reports.schema import IndicatorData, StatusData

# Both charts are drawn in CSS pixels at the width of the A4 text column (170 mm ≈ 642 px).
DISTRIBUTION_WIDTH = 640
DISTRIBUTION_ROW = 46
DISTRIBUTION_BAR = 20
DISTRIBUTION_LEFT = 0
DISTRIBUTION_RIGHT = 560
# A segment narrower than this has no room for its symbol and count; the table beside has them.
SEGMENT_TEXT_MIN = 34

INDICATOR_WIDTH = 300
INDICATOR_HEIGHT = 150
PAD_LEFT = 44
PAD_RIGHT = 12
PAD_TOP = 12
PAD_BOTTOM = 28


def decimal(value: str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    text: str
    text_x: float
    show_text: bool


@dataclass(frozen=True)
class DistributionRow:
    label: str
    total_text: str
    label_y: float
    bar_y: float
    text_y: float
    segments: list[Segment]


@dataclass(frozen=True)
class DistributionChart:
    width: int
    height: int
    bar_height: int
    right: int
    rows: list[DistributionRow]


def distribution_chart(
    rows: list[tuple[str, dict[str, int]]], statuses: list[StatusData]
) -> DistributionChart:
    """One stacked bar per row (a focus area): the share of its measures in each status."""
    chart_rows = []
    span = DISTRIBUTION_RIGHT - DISTRIBUTION_LEFT
    for index, (label, by_status) in enumerate(rows):
        top = index * DISTRIBUTION_ROW
        total = sum(by_status.values())
        segments = []
        x = float(DISTRIBUTION_LEFT)
        for status in statuses:
            count = by_status.get(status["value"], 0)
            if not count:
                continue
            width = span * count / total
            segments.append(
                Segment(
                    x=round(x, 1),
                    width=round(width, 1),
                    colour=status["colour"],
                    text=f"{status['symbol']} {count}",
                    text_x=round(x + width / 2, 1),
                    show_text=width >= SEGMENT_TEXT_MIN,
                )
            )
            x += width
        chart_rows.append(
            DistributionRow(
                label=label,
                total_text=gettext("%(count)s tiltak") % {"count": total},
                label_y=top + 14,
                bar_y=top + 20,
                text_y=top + 20 + DISTRIBUTION_BAR / 2,
                segments=segments,
            )
        )
    return DistributionChart(
        width=DISTRIBUTION_WIDTH,
        height=max(1, len(rows)) * DISTRIBUTION_ROW,
        bar_height=DISTRIBUTION_BAR,
        right=DISTRIBUTION_WIDTH,
        rows=chart_rows,
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class IndicatorChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    path: str
    points: list[Point]
    target: Point
    ticks: list[Tick]
    start_label: str
    end_label: str


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def indicator_chart(indicator: IndicatorData) -> IndicatorChart | None:
    """Actual values over time (from the baseline) against the target, as a small line chart.

    Returns None when the indicator has too little to draw (no target or no dates); its numbers
    are shown anyway.
    """
    target_value = decimal(indicator["target"])
    target_date = _date(indicator["target_date"])
    baseline_value = decimal(indicator["baseline"])
    values = [
        (day, number)
        for day, number in ((_date(v["date"]), decimal(v["value"])) for v in indicator["values"])
        if day is not None and number is not None
    ]
    if target_value is None or target_date is None:
        return None
    scale = indicator_scale(
        baseline_date=_date(indicator["baseline_date"]),
        target_date=target_date,
        dates=[day for day, _ in values],
        numbers=[
            target_value,
            *([] if baseline_value is None else [baseline_value]),
            *[number for _, number in values],
        ],
        left=PAD_LEFT,
        top=PAD_TOP,
        width=INDICATOR_WIDTH - PAD_LEFT - PAD_RIGHT,
        height=INDICATOR_HEIGHT - PAD_TOP - PAD_BOTTOM,
    )
    start = scale.start

    def x_of(day: dt.date) -> float:
        # A date before the baseline date (a measurement, the target) sits on the left edge.
        return scale.x(max(day, start))

    series = ([] if baseline_value is None else [(start, baseline_value)]) + values
    points = [Point(x_of(day), scale.y(number)) for day, number in series]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    ticks = [
        Tick(scale.y(v), format_number(v.quantize(Decimal("0.1")))) for v in scale.tick_values(3)
    ]
    return IndicatorChart(
        width=INDICATOR_WIDTH,
        height=INDICATOR_HEIGHT,
        left=PAD_LEFT,
        right=INDICATOR_WIDTH - PAD_RIGHT,
        top=PAD_TOP,
        bottom=INDICATOR_HEIGHT - PAD_BOTTOM,
        path=path,
        points=points,
        target=Point(x_of(target_date), scale.y(target_value)),
        ticks=ticks,
        start_label=f"{start:%m.%Y}",
        end_label=f"{scale.end:%m.%Y}",
    )


# How far an indicator has come towards its target, in bands for an overview of many indicators
# (translated where shown: `band_labels`).
BAND_LABELS = (
    gettext_lazy("Målet er nådd"),
    gettext_lazy("75–99 % av veien"),
    gettext_lazy("50–74 % av veien"),
    gettext_lazy("Under 50 % av veien"),
    gettext_lazy("Ingen måling"),
)


def band_labels() -> list[str]:
    """BAND_LABELS in the active language."""
    return [str(label) for label in BAND_LABELS]


BAND_WIDTH = 640
BAND_ROW = 22
BAND_LABEL_WIDTH = 170
BAND_BAR_MAX = 400


def achievement_band(achievement: Decimal | None) -> int:
    """The index in BAND_LABELS for an achievement (1 = the target is reached)."""
    if achievement is None:
        return 4
    if achievement >= 1:
        return 0
    if achievement >= Decimal("0.75"):
        return 1
    if achievement >= Decimal("0.5"):
        return 2
    return 3


@dataclass(frozen=True)
class BandRow:
    label: str
    count: int
    y: float
    text_y: float
    width: float
    count_x: float


@dataclass(frozen=True)
class BandChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    rows: list[BandRow]


def band_chart(bands: list[int]) -> BandChart:
    """A bar per band, its length the band's share of all the indicators given."""
    counts = [bands.count(index) for index in range(len(BAND_LABELS))]
    total = len(bands) or 1
    rows = []
    for index, (label, count) in enumerate(zip(band_labels(), counts, strict=True)):
        width = round(BAND_BAR_MAX * count / total, 1)
        top = index * BAND_ROW
        rows.append(
            BandRow(
                label=label,
                count=count,
                y=top + 3,
                text_y=top + BAND_ROW / 2,
                width=width,
                count_x=BAND_LABEL_WIDTH + width + 6,
            )
        )
    return BandChart(
        width=BAND_WIDTH,
        height=BAND_ROW * len(BAND_LABELS),
        bar_x=BAND_LABEL_WIDTH,
        bar_height=BAND_ROW - 6,
        rows=rows,
    )
