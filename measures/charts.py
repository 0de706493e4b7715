"""Server-side SVG charts: plain shapes with presentation attributes, no script and no style.

`indicator_scale` is the one scale of an indicator's chart, used here (the public pages, from
the model) and by the printed report (`reports.charts`, from the frozen snapshot).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from drivkraft.core.formatting import format_number
from measures.models import Indicator

WIDTH = 480
HEIGHT = 240
PAD_LEFT = 56
PAD_RIGHT = 16
# Room above the highest value for the target's label «Mål», also at the larger size on phones.
PAD_TOP = 24
PAD_BOTTOM = 40


@dataclass(frozen=True)
class IndicatorScale:
    """Where a date and a value go in a plot box (`left`, `top`, `width`, `height`, in px)."""

    start: date
    end: date
    low: Decimal
    high: Decimal
    left: int
    top: int
    width: int
    height: int

    def x(self, day: date) -> float:
        """Proportional between `start` (the left edge) and `end` (the right edge), to 0.1 px;
        a day before `start` falls left of the box."""
        span_days = (self.end - self.start).days
        return round(self.left + self.width * (day - self.start).days / span_days, 1)

    def y(self, value: Decimal) -> float:
        """Proportional between `high` (the top edge) and `low` (the bottom edge), to 0.1 px."""
        return round(
            self.top + self.height * float((self.high - value) / (self.high - self.low)), 1
        )

    def tick_values(self, count: int) -> list[Decimal]:
        """`count` (at least 2) evenly spaced values from `low` to `high`, both included."""
        return [self.low + (self.high - self.low) * Decimal(i) / (count - 1) for i in range(count)]


def indicator_scale(
    *,
    baseline_date: date | None,
    target_date: date,
    dates: Sequence[date],
    numbers: Iterable[Decimal],
    left: int,
    top: int,
    width: int,
    height: int,
) -> IndicatorScale:
    """The scale of an indicator's chart. `dates` are the measurements' (oldest first), `numbers`
    every value to show (baseline, target, measurements).

    Guarantees: time runs from the baseline date (or else the first measurement, or else the
    target date) to the later of the target date and the last measurement, and values from zero
    (or the lowest value, if below zero) to the highest; neither span is ever empty.
    """
    start = baseline_date or (dates[0] if dates else target_date)
    end = max([target_date, *dates])
    if end <= start:
        end = start + timedelta(days=1)
    values = list(numbers)
    low = min(Decimal(0), *values)
    high = max(values)
    if high == low:
        high = low + 1
    return IndicatorScale(start, end, low, high, left, top, width, height)


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


def indicator_chart(indicator: Indicator) -> IndicatorChart:
    """Actual values over time against the target, scaled into a fixed-size SVG."""
    values = sorted(indicator.values.all(), key=lambda v: v.date)
    scale = indicator_scale(
        baseline_date=indicator.baseline_date,
        target_date=indicator.target_date,
        dates=[v.date for v in values],
        numbers=[indicator.baseline, indicator.target, *[v.value for v in values]],
        left=PAD_LEFT,
        top=PAD_TOP,
        width=WIDTH - PAD_LEFT - PAD_RIGHT,
        height=HEIGHT - PAD_TOP - PAD_BOTTOM,
    )
    start = scale.start
    baseline = Point(scale.x(start), scale.y(indicator.baseline), start, indicator.baseline)
    points = [baseline] + [
        Point(scale.x(v.date), scale.y(v.value), v.date, v.value) for v in values
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    target = Point(
        scale.x(indicator.target_date),
        scale.y(indicator.target),
        indicator.target_date,
        indicator.target,
    )
    return IndicatorChart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        path=path,
        baseline=baseline,
        target=target,
        target_line_y=target.y,
        ticks=[Tick(scale.y(v), format_number(v)) for v in scale.tick_values(5)],
        start_label=f"{start:%m.%Y}",
        end_label=f"{scale.end:%m.%Y}",
    )
