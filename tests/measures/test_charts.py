"""The indicator chart's one scale, shared by the public pages and the printed report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from measures.charts import indicator_chart, indicator_scale
from tests.measures.factories import IndicatorFactory, IndicatorValueFactory

BOX = {"left": 10, "top": 5, "width": 200, "height": 100}


def test_time_runs_from_the_baseline_date_to_the_later_of_target_and_last_measurement() -> None:
    scale = indicator_scale(
        baseline_date=dt.date(2024, 1, 1),
        target_date=dt.date(2024, 12, 31),
        dates=[dt.date(2024, 6, 1), dt.date(2025, 1, 1)],
        numbers=[Decimal(5), Decimal(20)],
        **BOX,
    )

    assert (scale.start, scale.end) == (dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert scale.x(scale.start) == 10
    assert scale.x(scale.end) == 210
    # Values run from zero up: 20 at the top edge, 0 at the bottom, 5 a quarter of the way up.
    assert (scale.y(Decimal(20)), scale.y(Decimal(0)), scale.y(Decimal(5))) == (5, 105, 80)
    assert scale.tick_values(3) == [Decimal(0), Decimal(10), Decimal(20)]


def test_without_a_baseline_date_time_starts_at_the_first_measurement_or_the_target() -> None:
    measured = indicator_scale(
        baseline_date=None,
        target_date=dt.date(2025, 1, 1),
        dates=[dt.date(2024, 3, 1)],
        numbers=[Decimal(1)],
        **BOX,
    )
    unmeasured = indicator_scale(
        baseline_date=None, target_date=dt.date(2025, 1, 1), dates=[], numbers=[Decimal(0)], **BOX
    )

    assert measured.start == dt.date(2024, 3, 1)
    # Nothing but the target: neither span may be empty (no division by zero).
    assert (unmeasured.start, unmeasured.end) == (dt.date(2025, 1, 1), dt.date(2025, 1, 2))
    assert (unmeasured.low, unmeasured.high) == (Decimal(0), Decimal(1))


def test_a_value_below_zero_moves_the_bottom_of_the_scale() -> None:
    scale = indicator_scale(
        baseline_date=None,
        target_date=dt.date(2025, 1, 1),
        dates=[],
        numbers=[Decimal(-4), Decimal(4)],
        **BOX,
    )

    assert (scale.low, scale.high) == (Decimal(-4), Decimal(4))
    assert scale.y(Decimal(0)) == 55


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "labels"),
    [("nb", ["0", "2,5", "5", "7,5", "10"]), ("en", ["0", "2.5", "5", "7.5", "10"])],
)
def test_the_public_chart_labels_its_ticks_as_the_page_writes_numbers(
    language: str, labels: list[str]
) -> None:
    indicator = IndicatorFactory(baseline=Decimal(0), target=Decimal(10))
    IndicatorValueFactory(indicator=indicator, date=dt.date(2025, 1, 1), value=Decimal(3))

    with translation.override(language):
        chart = indicator_chart(indicator)

    assert [tick.label for tick in chart.ticks] == labels
