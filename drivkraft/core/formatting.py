"""Numbers the Norwegian way, for the pages, the charts and the reports."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language


def format_number(value: Decimal | int | float | None, *, empty: str = "") -> str:
    """No needless decimals, a no-break space between thousands, and a decimal comma (a point
    on the English pages). `empty` is what a missing value reads as."""
    if value is None:
        return empty
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        return f"{int(number):,}".replace(",", "\u00a0")
    return f"{number:f}".replace(".", "." if get_language() == "en" else ",")
