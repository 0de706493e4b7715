"""Server-side SVG charts: plain shapes with presentation attributes, no script and no style."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from measures.models import Indicator

WIDTH = 480
HEIGHT = 240
PAD_LEFT = 56
PAD_RIGHT = 16
PAD_TOP = 16
PAD_BOTTOM = 40


@dataclass
class Point:
    x: float
    y: float
    date: date
    value: Decimal


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class IndicatorChart:
    width: int
    height: int
    points: list[Point]
    path: str
    baseline: Point
    target: Point
    target_line_y: float
    ticks: list[Tick]
    start_label: str
    end_label: str
    left: int = PAD_LEFT
    right: int = WIDTH - PAD_RIGHT
    bottom: int = HEIGHT - PAD_BOTTOM
    top: int = PAD_TOP


def _number(value: Decimal) -> str:
    normalised = value.normalize()
    if normalised == normalised.to_integral():
        return f"{int(normalised):,}".replace(",", "\u00a0")
    return f"{normalised:f}".replace(".", ",")


def indicator_chart(indicator: Indicator) -> IndicatorChart:
    """Actual values over time against the target, scaled into a fixed-size SVG."""
    values = sorted(indicator.values.all(), key=lambda v: v.date)
    start = indicator.baseline_date or (values[0].date if values else indicator.target_date)
    end = max([indicator.target_date, *[v.date for v in values]])
    if end <= start:
        end = date.fromordinal(start.toordinal() + 1)
    numbers = [indicator.baseline, indicator.target, *[v.value for v in values]]
    low = min(Decimal(0), *numbers)
    high = max(numbers)
    if high == low:
        high = low + 1
    span_days = (end - start).days
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def x_of(day: date) -> float:
        return round(PAD_LEFT + plot_w * (day - start).days / span_days, 1)

    def y_of(value: Decimal) -> float:
        return round(PAD_TOP + plot_h * float((high - value) / (high - low)), 1)

    baseline = Point(x_of(start), y_of(indicator.baseline), start, indicator.baseline)
    points = [baseline] + [Point(x_of(v.date), y_of(v.value), v.date, v.value) for v in values]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    target = Point(
        x_of(indicator.target_date), y_of(indicator.target), indicator.target_date, indicator.target
    )
    ticks = [
        Tick(
            y_of(low + (high - low) * Decimal(i) / 4), _number(low + (high - low) * Decimal(i) / 4)
        )
        for i in range(5)
    ]
    return IndicatorChart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        path=path,
        baseline=baseline,
        target=target,
        target_line_y=target.y,
        ticks=ticks,
        start_label=f"{start:%m.%Y}",
        end_label=f"{end:%m.%Y}",
    )
