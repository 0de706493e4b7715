"""drivkraft.middleware: a lost database gives a friendly Norwegian 503, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn
from unittest import mock

import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.test import RequestFactory

from drivkraft.middleware import RETRY_AFTER_SECONDS, database_unavailable
from tests.conftest import MEASURE_SLUG, Portal, headings, plain
from tests.test_security_headers import _offences, assert_strict_headers

NORWEGIAN_HEADING = "Midlertidig utilgjengelig"


@contextmanager
def failing_cursor(error: Exception) -> Iterator[None]:
    """Every query of the default connection raises `error` until the block ends."""

    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise error

    # Restored when the block ends, before the test's transaction is rolled back (which needs a
    # cursor).
    with mock.patch.object(connections["default"], "cursor", fail):
        yield


@pytest.fixture
def database_down(portal: Portal) -> Iterator[None]:
    """Queries fail as psycopg fails when PostgreSQL has stopped."""
    refused = OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )
    with failing_cursor(refused):
        yield


@pytest.mark.parametrize(
    "url", ["/", "/tiltak/", f"/tiltak/{MEASURE_SLUG}/", "/kommuner/", "/feed/"]
)
def test_a_public_page_answers_503_in_norwegian_when_the_database_is_down(
    client, database_down, url, caplog
):
    with caplog.at_level(logging.WARNING, logger="drivkraft.middleware"):
        response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert headings(html) == [NORWEGIAN_HEADING]
    assert '<html lang="nb">' in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    assert "5432" not in html  # nothing about the server leaks to the reader
    assert "Prøv igjen" in plain(html)
    assert "Database unavailable, answering 503 for GET" in caplog.text


def test_the_503_page_keeps_the_strict_content_security_policy(client, database_down):
    response = client.get("/tiltak/")

    assert response.status_code == 503
    assert_strict_headers(response)
    assert _offences(response.content.decode()) == []


def test_the_503_page_is_english_under_en(client, database_down):
    response = client.get("/en/tiltak/")

    assert response.status_code == 503
    assert headings(response.content.decode()) == ["Temporarily unavailable"]


def test_the_admin_answers_503_too(client, portal, django_user_model):
    """A logged-in user's session and permissions live in the database."""
    user = django_user_model.objects.create_user("redaktor", is_staff=True)
    client.force_login(user)

    with failing_cursor(OperationalError("server closed the connection unexpectedly")):
        response = client.get("/admin/")

    assert response.status_code == 503
    assert headings(response.content.decode()) == [NORWEGIAN_HEADING]


def test_a_closed_connection_counts_as_unavailable(client, portal):
    with failing_cursor(InterfaceError("the connection is closed")):
        response = client.get("/tiltak/")

    assert response.status_code == 503


def test_healthz_stays_plain_text_for_load_balancers(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"database unavailable"


def test_other_database_errors_are_still_server_errors(client, portal):
    """A broken query (say, a missing column) is a bug to fix, not an outage to wait out."""
    client.raise_request_exception = False

    with failing_cursor(DatabaseError("column does not exist")):
        response = client.get("/tiltak/")

    assert response.status_code == 500
    assert NORWEGIAN_HEADING not in response.content.decode()


def test_the_page_itself_needs_no_database(db, django_assert_num_queries):
    request = RequestFactory().get("/tiltak/")

    with django_assert_num_queries(0):
        response = database_unavailable(request)

    assert response.status_code == 503
    assert NORWEGIAN_HEADING in response.content.decode()


def test_an_outage_outside_a_view_answers_503_too(client, portal, django_user_model, settings):
    """Saving a logged-in user's session happens after the view, in the session middleware: the
    500 handler turns that outage into the same Norwegian 503."""
    client.raise_request_exception = False
    user = django_user_model.objects.create_user("redaktor", is_staff=True)
    client.force_login(user)
    settings.SESSION_SAVE_EVERY_REQUEST = True  # the session is written after every response

    from django.contrib.sessions.backends.db import SessionStore

    def unreachable(self: SessionStore, *args: object, **kwargs: object) -> NoReturn:
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(SessionStore, "save", unreachable):
        response = client.get("/tiltak/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert headings(response.content.decode()) == [NORWEGIAN_HEADING]


def test_the_500_handler_keeps_other_errors_500(rf):
    from drivkraft.middleware import server_error

    try:
        raise DatabaseError("column does not exist")
    except DatabaseError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert NORWEGIAN_HEADING not in response.content.decode()
