from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from drivkraft.core.formatting import format_number


def test_decimals_have_a_comma_in_norwegian_and_a_point_in_english() -> None:
    with translation.override("nb"):
        assert format_number(Decimal("12.50")) == "12,5"
    with translation.override("en"):
        assert format_number(12.5) == "12.5"


def test_thousands_are_grouped_with_a_no_break_space_and_nothing_reads_as_empty() -> None:
    assert format_number(1234567) == "1\u00a0234\u00a0567"
    assert format_number(Decimal("2000.00")) == "2\u00a0000"
    assert format_number(None, empty="–") == "–"
