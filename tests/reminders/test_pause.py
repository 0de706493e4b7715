"""Pausing the reminders: the signed one-click link in each mail (no login), and the setting on
Min side."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from reminders.mail import pause_token, pause_url
from reminders.models import ReminderPreference
from reminders.selectors import reminders_paused
from reminders.services import reminders_send
from tests.teams.factories import UserFactory

from .conftest import NOW, TODAY


def link_path(user: User) -> str:
    return pause_url(user).removeprefix("https://drivkraft.example.no")


def test_every_mail_carries_the_one_click_pause_link_in_its_headers_and_text(stale_measure, owner):
    reminders_send(today=TODAY, now=NOW)
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    url = pause_url(owner)
    assert url.startswith("https://drivkraft.example.no/paminnelser/pause/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Sett påminnelsene på pause: {url}" in message.body
    assert f'href="{url}"' in str(message.alternatives[0][0])


def test_opening_the_link_asks_first_and_pauses_nothing(owner):
    response = Client().get(link_path(owner))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert b"Sett p\xc3\xa5minnelser p\xc3\xa5 pause" in response.content
    assert b'method="post"' in response.content
    assert not reminders_paused(owner)


def test_the_button_pauses_without_a_login(owner):
    response = Client().post(link_path(owner))
    assert response.status_code == 200
    assert "Påminnelsene dine er satt på pause." in response.content.decode()
    assert reminders_paused(owner)


def test_a_mail_clients_one_click_post_pauses_without_a_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        link_path(owner),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert reminders_paused(owner)


def test_pausing_twice_is_harmless_and_says_so(owner):
    Client().post(link_path(owner))
    Client().post(link_path(owner))
    assert ReminderPreference.objects.get(user=owner).paused
    response = Client().get(link_path(owner))
    assert "allerede på pause" in response.content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature changed
        lambda token: token.replace(token.split(":")[0], "eyJ1c2VyIjoyfQ"),  # another user
        lambda token: "ikke-en-token",
    ],
)
def test_a_tampered_link_is_refused_and_pauses_nobody(owner, tamper):
    other = UserFactory(username="annen")
    path = f"/paminnelser/pause/{tamper(pause_token(owner))}/"
    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "Lenken virker ikke" in response.content.decode()
    assert not reminders_paused(owner)
    assert not reminders_paused(other)


def test_a_link_of_a_deactivated_login_is_refused(owner):
    owner.is_active = False
    owner.save()
    assert Client().post(link_path(owner)).status_code == 400


def test_a_token_made_with_another_salt_is_refused(owner):
    from django.core import signing

    token = signing.dumps({"user": owner.pk}, salt="something-else")
    assert Client().post(f"/paminnelser/pause/{token}/").status_code == 400
    assert not reminders_paused(owner)


def test_the_pause_page_has_an_english_version(owner):
    response = Client().get("/en" + link_path(owner))
    assert response.status_code == 200


# Min side ---------------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_min_side_shows_the_setting_and_pauses_and_resumes(owner, stale_measure):
    client = logged_in(owner)
    page = client.get("/min-side/").content.decode()
    assert 'id="paminnelser"' in page
    assert "Påminnelsene er på." in page
    assert "kari@example.org" in page

    response = client.post("/min-side/paminnelser/", {"paused": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/min-side/#paminnelser"
    assert reminders_paused(owner)
    page = client.get("/min-side/").content.decode()
    assert "Påminnelsene er på pause." in page
    assert "Påminnelsene på e-post er satt på pause." in page  # the message

    assert reminders_send(today=TODAY, now=NOW).sent == []

    client.post("/min-side/paminnelser/", {"paused": "0"})
    assert not reminders_paused(owner)
    assert reminders_send(today=TODAY, now=NOW).sent == ["kari@example.org"]


def test_the_setting_needs_a_login_and_a_post(owner):
    response = Client().post("/min-side/paminnelser/", {"paused": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    assert not reminders_paused(owner)
    assert logged_in(owner).get("/min-side/paminnelser/").status_code == 405


def test_the_setting_is_checked_against_csrf(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post("/min-side/paminnelser/", {"paused": "1"}).status_code == 403
    assert not reminders_paused(owner)


def test_the_setting_is_not_shown_to_the_steering_group(db):
    from django.contrib.auth.models import Group

    from teams.roles import STEERING_GROUP

    user = UserFactory(username="styret")
    user.groups.add(Group.objects.get_or_create(name=STEERING_GROUP)[0])
    assert 'id="paminnelser"' not in logged_in(user).get("/min-side/").content.decode()


def test_an_owner_without_an_address_is_told_so(owner):
    owner.email = ""
    owner.save()
    page = logged_in(owner).get("/min-side/").content.decode()
    assert "ingen e-postadresse" in page
