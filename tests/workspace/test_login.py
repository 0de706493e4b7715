"""/logg-inn/ and /logg-ut/: the public design, any role (no staff flag needed), a safe `next`,
django-axes' lock-out, and the header that shows who is logged in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from tests.conftest import TestResponse, headings, links, plain
from tests.workspace.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/logg-inn/"
ADDRESS = "192.0.2.44"


def log_in(client: Client, username: str, password: str = PASSWORD, **extra: str) -> TestResponse:
    return client.post(
        LOGIN + extra.pop("query", ""),
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=ADDRESS,
    )


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_is_in_the_public_design_and_norwegian(db):
    response = Client().get(LOGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb">' in html
    assert 'class="site-header"' in html  # the public site's header and footer
    assert 'class="site-footer"' in html
    assert headings(html) == ["Logg inn"]
    assert '<label for="id_username">Brukernavn</label>' in html
    assert '<label for="id_password">Passord</label>' in html


def test_the_login_page_is_english_under_en(db):
    html = Client().get("/en" + LOGIN).content.decode()

    assert '<html lang="en">' in html
    assert headings(html) == ["Log in"]
    assert "Username" in html


@pytest.mark.parametrize("role", ["owner", "steering", "leader", "no_role"])
def test_every_user_lands_on_min_side_without_being_staff(users, role):
    client = Client()
    user = users[role]

    response = log_in(client, user.username)

    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    assert is_logged_in(client)
    assert client.get("/min-side/").status_code == 200


def test_english_login_lands_on_the_english_min_side(owner):
    client = Client()
    response = client.post(
        "/en" + LOGIN, {"username": "ansvarlig", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )

    assert response["Location"] == "/en/min-side/"


def test_a_safe_next_is_followed(owner):
    response = log_in(Client(), "ansvarlig", next="/tiltak/")

    assert response["Location"] == "/tiltak/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/min-side/", "javascript:alert(1)"]
)
def test_a_next_off_this_site_lands_on_min_side(owner, target):
    response = log_in(Client(), "ansvarlig", next=target)

    assert response.status_code == 302
    assert response["Location"] == "/min-side/"


def test_the_next_of_a_redirect_is_kept_in_the_form(owner):
    html = Client().get(LOGIN + "?next=/rapporter/").content.decode()

    assert '<input type="hidden" name="next" value="/rapporter/">' in html


def test_a_logged_in_user_is_sent_on_from_the_login_page(client_for):
    response = client_for("owner").get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == "/min-side/"


def test_a_wrong_password_is_answered_in_norwegian_with_a_summary(owner):
    client = Client()
    response = log_in(client, "ansvarlig", "feil-passord")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in html
    assert "Vennligst oppgi korrekt brukernavn og passord" in plain(html)
    assert not is_logged_in(client)


def test_a_very_long_username_is_a_form_error_not_a_server_error(db):
    response = log_in(Client(), "x" * 400, "feil-passord")

    assert response.status_code == 200
    assert "Brukernavn: Sørg for at denne verdien har" in plain(response.content.decode())


def test_five_failures_lock_out_with_a_norwegian_429_in_the_public_design(owner):
    client = Client()
    statuses = [log_in(client, "ansvarlig", "feil-passord").status_code for _ in range(5)]
    response = log_in(client, "ansvarlig")  # even the right password

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    html = response.content.decode()
    assert headings(html) == ["For mange mislykkede innlogginger"]
    assert "stengt i 15 minutter" in plain(html)
    assert 'class="site-header"' in html
    assert not is_logged_in(client)


def test_the_admin_login_keeps_its_own_lock_out_page(owner):
    client = Client()
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "ansvarlig", "password": "feil"}, REMOTE_ADDR=ADDRESS
        )

    assert response.status_code == 429
    assert 'id="site-name"' in response.content.decode()  # the admin's design


# Logging out -------------------------------------------------------------------------------------


def test_logging_out_takes_a_post_and_lands_on_the_front_page_with_a_message(client_for, portal):
    client = client_for("owner")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/logg-ut/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Session.objects.filter(session_key=key).exists()
    front = client.get("/")
    assert "Du er logget ut." in plain(front.content.decode())
    assert ("/logg-inn/", "Logg inn") in links(front.content.decode())


def test_logging_out_by_get_is_refused(client_for):
    client = client_for("owner")

    assert client.get("/logg-ut/").status_code == 405
    assert is_logged_in(client)


def test_logging_out_needs_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.post("/logg-ut/").status_code == 403
    assert is_logged_in(client)


# The header --------------------------------------------------------------------------------------


def header(html: str) -> str:
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def test_a_visitor_sees_logg_inn_in_the_header(client, portal):
    html = header(client.get("/").content.decode())

    assert ("/logg-inn/", "Logg inn") in links(html)
    assert "Logg ut" not in html
    assert "/min-side/" not in html


@pytest.mark.parametrize(
    ("role", "sees_reports"),
    [("owner", False), ("no_role", False), ("steering", True), ("leader", True)],
)
def test_a_logged_in_user_sees_min_side_and_logg_ut(client_for, portal, role, sees_reports):
    html = header(client_for(role).get("/").content.decode())

    assert ("/min-side/", "Min side") in links(html)
    assert '<form class="account__logout" method="post" action="/logg-ut/">' in html
    assert "Logg ut</button>" in html
    assert ("/logg-inn/", "Logg inn") not in links(html)
    assert (("/rapporter/", "Rapporter") in links(html)) is sees_reports


def test_the_footer_leads_to_min_side_not_the_admin(client, portal):
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]

    assert "/admin/" not in footer
    assert "/min-side/" in footer
