"""System checks of the settings that a public deployment must fill in (`check --deploy`).

They read only settings; the apps that use them (open data, the accessibility statement) name
the same settings. Warnings, not errors: a test server may run without them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

ORGANISATION_NUMBER = re.compile(r"[0-9]{9}")


@register("drivkraft")
def check_organisation_number(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """A publisher number that is set must have Enhetsregisteret's nine digits."""
    number = settings.OPEN_DATA_PUBLISHER_ORGNR
    if number and not ORGANISATION_NUMBER.fullmatch(number):
        return [
            Error(
                f"OPEN_DATA_PUBLISHER_ORGNR must be nine digits, not {number!r}.",
                hint="The organisation number in Enhetsregisteret (brreg.no), without spaces.",
                id="drivkraft.E001",
            )
        ]
    return []


@register("drivkraft", deploy=True)
def check_public_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """What the public site needs from its operator: the open-data catalogue's publisher and
    contact, the accessibility statement's link and address, and the site's address and sender
    for the reminder e-mails."""
    messages: list[CheckMessage] = []
    if not settings.OPEN_DATA_PUBLISHER_ORGNR:
        messages.append(
            Warning(
                "OPEN_DATA_PUBLISHER_ORGNR is not set: the open-data catalogue (/data/katalog.ttl) "
                "names its publisher by a local address instead of Enhetsregisteret.",
                hint="Set it to Hålogalandsrådet's organisation number (docs/deploy.md).",
                id="drivkraft.W001",
            )
        )
    if not (settings.OPEN_DATA_CONTACT_EMAIL or settings.OPEN_DATA_CONTACT_URL):
        messages.append(
            Warning(
                "Neither OPEN_DATA_CONTACT_EMAIL nor OPEN_DATA_CONTACT_URL is set: the open-data "
                "catalogue's contact point gives only the site's address.",
                hint="Set the address that answers questions about the open data.",
                id="drivkraft.W002",
            )
        )
    if not settings.ACCESSIBILITY_STATEMENT_URL:
        messages.append(
            Warning(
                "ACCESSIBILITY_STATEMENT_URL is not set: the accessibility statement does not link "
                "to the statement published at uustatus.no, which public bodies must publish.",
                hint="Publish the statement in Digdir's tool at uustatus.no and set its address.",
                id="drivkraft.W003",
            )
        )
    if not settings.ACCESSIBILITY_CONTACT_EMAIL:
        messages.append(
            Warning(
                "ACCESSIBILITY_CONTACT_EMAIL is not set: the accessibility statement names no "
                "address for feedback.",
                hint="Set the address that takes feedback about accessibility.",
                id="drivkraft.W004",
            )
        )
    if not settings.SITE_URL:
        messages.append(
            Warning(
                "SITE_URL is not set: the reminder e-mails cannot link to Min side, so "
                "`manage.py send_reminders` refuses to run.",
                hint="Set it to the site's address, such as https://drivkraft.example.no.",
                id="drivkraft.W005",
            )
        )
    if settings.DEFAULT_FROM_EMAIL == "webmaster@localhost":
        messages.append(
            Warning(
                "DEFAULT_FROM_EMAIL is not set: reminders would be sent from webmaster@localhost, "
                "which mail servers reject or mark as spam.",
                hint="Set the sender, such as «Program Drivkraft <ikke-svar@example.no>».",
                id="drivkraft.W006",
            )
        )
    return messages
