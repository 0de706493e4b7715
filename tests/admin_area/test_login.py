"""Login safety: a Norwegian login page, lock-out with a cool-off, sessions, password rules."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measures.models import StatusUpdate
from tests.admin_area.conftest import PASSWORD, is_login_redirect, is_workspace_redirect
from tests.conftest import TestResponse

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.20"
LOCKOUT_TEXT = "For mange mislykkede innlogginger"


def log_in(client: Client, username: str, password: str, address: str = ADDRESS) -> TestResponse:
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def fail_five_times(client: Client, username: str, address: str = ADDRESS) -> list[int]:
    return [log_in(client, username, "feil-passord", address).status_code for _ in range(5)]


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_is_norwegian(db):
    response = Client().get(LOGIN)

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb"' in content
    assert "Brukernavn" in content
    assert "Logg inn" in content


def test_a_failed_login_is_answered_in_norwegian(leader):
    response = log_in(Client(), "leder", "feil-passord")

    assert response.status_code == 200
    assert "Vennligst oppgi gyldig brukernavn og passord" in response.content.decode()


def test_the_right_password_logs_in(leader):
    client = Client()

    response = log_in(client, "leder", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert is_logged_in(client)


def test_five_failures_lock_the_username_and_address_with_429(leader):
    client = Client()

    statuses = fail_five_times(client, "leder")
    response = log_in(client, "leder", PASSWORD)  # even the right password

    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429  # the fifth failure locks
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKOUT_TEXT in content
    assert "15 minutter" in content
    assert not is_logged_in(client)


@pytest.mark.parametrize("role", ["owner", "steering", "no_role"])
def test_anyone_else_who_logs_in_here_is_sent_to_min_side(users, role):
    """Not a 403 wall: the login works, and the admin sends them where their work is."""
    client = Client()

    response = log_in(client, users[role].username, PASSWORD)
    arrived = client.get(response["Location"])

    assert response.status_code == 302
    assert is_logged_in(client)
    assert is_workspace_redirect(arrived)
    assert [str(m) for m in get_messages(arrived.wsgi_request)] == [
        "Administrasjonen er bare for prosjektlederne. Det du skal gjøre, finner du på Min side."
    ]


def test_the_login_page_sends_someone_else_already_logged_in_to_min_side(owner):
    client = Client()
    client.force_login(owner)

    assert is_workspace_redirect(client.get(LOGIN))
    assert is_workspace_redirect(client.get("/admin/measures/measure/"))


def test_the_leader_already_logged_in_goes_from_the_login_page_to_the_admin(leader):
    client = Client()
    client.force_login(leader)

    response = client.get(LOGIN)

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_a_superuser_may_use_the_admin(db, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("nød", password=PASSWORD))

    assert client.get("/admin/").status_code == 200


def test_four_failures_do_not_lock(leader):
    client = Client()
    for _ in range(4):
        log_in(client, "leder", "feil-passord")

    assert log_in(client, "leder", PASSWORD).status_code == 302


def test_the_lock_holds_only_for_that_username_and_address(leader, owner):
    fail_five_times(Client(), "leder")

    other_user = Client()
    other_address = Client()
    assert log_in(other_user, "ansvarlig", PASSWORD).status_code == 302
    assert log_in(other_address, "leder", PASSWORD, OTHER_ADDRESS).status_code == 302
    assert is_logged_in(other_user) and is_logged_in(other_address)
    # A success elsewhere does not lift the lock on the locked pair.
    assert log_in(Client(), "leder", PASSWORD).status_code == 429


def test_the_lock_lifts_by_itself_after_15_minutes(leader):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60  # never a permanent lock
    fail_five_times(Client(), "leder")

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
    assert log_in(Client(), "leder", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=5))
    client = Client()
    response = log_in(client, "leder", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_an_unknown_username_is_locked_as_well(db):
    statuses = fail_five_times(Client(), "finnes-ikke")

    assert statuses[-1] == 429


# Sessions -----------------------------------------------------------------------------------------


def test_the_session_key_changes_at_login(leader):
    client = Client()
    session = client.session
    session["før-innlogging"] = True
    session.save()
    before = session.session_key

    log_in(client, "leder", PASSWORD)

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


def test_logout_kills_the_session(leader):
    client = Client()
    log_in(client, "leder", PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/admin/").status_code == 200

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert is_login_redirect(replay.get("/admin/"))


def test_a_deactivated_user_loses_access_on_the_next_request(leader, own_measure):
    client = Client()
    log_in(client, "leder", PASSWORD)
    url = reverse("admin:measures_measure_status", args=[own_measure.pk])
    assert client.get(url).status_code == 200

    get_user_model().objects.filter(pk=leader.pk).update(is_active=False)

    assert is_login_redirect(client.get("/admin/"))
    assert is_login_redirect(client.get(url))
    response = client.post(
        url,
        {
            "status": "etter-plan",
            "progress": "10",
            "date": timezone.localdate().isoformat(),
            "expected_version": own_measure.version,
        },
    )
    assert is_login_redirect(response)
    assert not StatusUpdate.objects.exists()


def test_a_deactivated_user_cannot_log_in(owner):
    get_user_model().objects.filter(pk=owner.pk).update(is_active=False)
    client = Client()

    response = log_in(client, "ansvarlig", PASSWORD)

    assert response.status_code == 200
    assert not is_logged_in(client)


# Passwords ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["password", "password123", "qwerty123", "passord", "12345678901", "kort1"]
)
def test_weak_passwords_are_refused(leader, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=leader)


def test_a_common_password_is_refused_as_common(leader):
    with pytest.raises(ValidationError) as caught:
        validate_password("password123", user=leader)

    assert [e.code for e in caught.value.error_list] == ["password_too_common"]


def test_a_password_like_the_username_is_refused(leader):
    with pytest.raises(ValidationError) as caught:
        validate_password("sigridleder", user=leader)

    assert "password_too_similar" in [e.code for e in caught.value.error_list]


def test_a_long_uncommon_password_is_accepted(leader):
    validate_password("Fjord-lavvo-torsk-2030", user=leader)  # raises if refused


# --- Where a login leads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_refused_next_leads_to_min_side(leader, next_url):
    client = Client()

    response = client.post(
        f"{LOGIN}?next={next_url}",
        {"username": "leder", "password": PASSWORD, "next": next_url},
        REMOTE_ADDR=ADDRESS,
    )

    # Everyone lands on Min side, the project leader too (it links to the admin).
    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_is_followed(leader):
    response = Client().post(
        LOGIN,
        {"username": "leder", "password": PASSWORD, "next": "/rapporter/"},
        REMOTE_ADDR=ADDRESS,
    )

    assert response["Location"] == "/rapporter/"
