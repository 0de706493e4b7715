"""The system checks of the public settings, asked in this process (tests/test_settings.py runs
`manage.py check` as a subprocess, as an operator would)."""

from __future__ import annotations

from typing import Any

import pytest

from drivkraft.core import checks


@pytest.mark.parametrize("number", ["97 12 34", "12345678", "1234567890", "abcdefghi"])
def test_a_publisher_number_that_is_not_nine_digits_is_an_error(settings: Any, number: str) -> None:
    settings.OPEN_DATA_PUBLISHER_ORGNR = number

    messages = checks.check_organisation_number()

    assert [m.id for m in messages] == ["drivkraft.E001"]
    assert repr(number) in messages[0].msg


@pytest.mark.parametrize("number", ["", "971234567"])
def test_an_empty_or_nine_digit_publisher_number_passes(settings: Any, number: str) -> None:
    settings.OPEN_DATA_PUBLISHER_ORGNR = number

    assert checks.check_organisation_number() == []


def test_each_missing_public_setting_is_named(settings: Any) -> None:
    settings.OPEN_DATA_PUBLISHER_ORGNR = ""
    settings.OPEN_DATA_CONTACT_EMAIL = ""
    settings.OPEN_DATA_CONTACT_URL = ""
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""

    ids = [m.id for m in checks.check_public_settings()]

    assert ids == ["drivkraft.W001", "drivkraft.W002", "drivkraft.W003", "drivkraft.W004"]


def test_a_contact_url_stands_in_for_a_contact_address(settings: Any) -> None:
    settings.OPEN_DATA_PUBLISHER_ORGNR = "971234567"
    settings.OPEN_DATA_CONTACT_EMAIL = ""
    settings.OPEN_DATA_CONTACT_URL = "https://example.no/kontakt"
    settings.ACCESSIBILITY_STATEMENT_URL = "https://uustatus.no/nb/erklaringer/publisert/x"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "uu@example.no"

    assert checks.check_public_settings() == []
