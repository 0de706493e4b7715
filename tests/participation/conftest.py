"""Fixtures of the public input tests: a valid post, and the Min side logins (shared with
tests/workspace)."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client

from drivkraft.core import formstamp
from tests.conftest import TestResponse
from tests.workspace.conftest import (  # noqa: F401 - fixtures
    client_for,
    co_owned_measure,
    leader,
    measures,
    no_role,
    other_measure,
    other_owner,
    other_person,
    own_measure,
    owner,
    owner_person,
    steering,
    users,
)

TEXT = "Det trengs flere lærlingplasser i Lavangen. Kan dere ta kontakt med bedriftene der?"


def old_stamp(seconds: float = 10) -> str:
    """A stamp issued `seconds` ago: the form was open that long."""
    return formstamp.issue(now=time.time() - seconds)


def input_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": TEXT,
        "name": "Ola Innbygger",
        "email": "ola@example.org",
        "consent": "on",
        "nettside": "",
        "stamp": old_stamp(),
    }
    data.update(changes)
    return data


def post_input(client: Client, slug: str, *, htmx: bool = False, **changes: Any) -> TestResponse:
    headers = {"HX-Request": "true"} if htmx else {}
    response: TestResponse = client.post(
        f"/tiltak/{slug}/innspill/", input_data(**changes), headers=headers
    )
    return response
