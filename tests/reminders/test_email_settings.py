"""EMAIL_URL and the EMAIL_* variables become Django's MAILERS (drivkraft/core/email.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from drivkraft.core.email import (
    CONSOLE_BACKEND,
    LOCMEM_BACKEND,
    SMTP_BACKEND,
    mailer_from_url,
    smtp_mailer,
)
from tests.test_settings import PRODUCTION_SECRET_KEY, run


def test_plain_smtp_with_user_and_password():
    assert mailer_from_url("smtp://post%40example.org:hemme%3Alig@mail.example.org:2525") == {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": "mail.example.org",
            "port": 2525,
            "username": "post@example.org",
            "password": "hemme:lig",
            "use_tls": False,
            "use_ssl": False,
            "timeout": None,
        },
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.example.org", 25, False, False),
        ("smtp+tls://mail.example.org", 587, True, False),
        ("smtp+ssl://mail.example.org", 465, False, True),
        ("smtps://mail.example.org:4650", 4650, False, True),
    ],
)
def test_the_schemes_choose_tls_and_the_usual_port(url, port, tls, ssl):
    options = mailer_from_url(url, timeout=5)["OPTIONS"]
    assert (options["port"], options["use_tls"], options["use_ssl"]) == (port, tls, ssl)
    assert options["timeout"] == 5
    assert options["username"] == options["password"] == ""


def test_console_and_locmem():
    assert mailer_from_url("console://") == {"BACKEND": CONSOLE_BACKEND}
    assert mailer_from_url("locmem://") == {"BACKEND": LOCMEM_BACKEND}


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example.org", "must start with"),
        ("mail.example.org", "must start with"),
        ("smtp://", "names no host"),
        ("smtp://user:pw@mail.example.org:port", "not a number"),
    ],
)
def test_anything_else_stops_the_start_without_repeating_the_password(url, says):
    with pytest.raises(ImproperlyConfigured, match=says) as error:
        mailer_from_url(url)
    assert "pw" not in str(error.value)


def test_starttls_and_tls_together_are_refused():
    with pytest.raises(ImproperlyConfigured):
        smtp_mailer(host="h", port=25, use_tls=True, use_ssl=True)


DUMP_MAIL_SETTINGS = """
import json
import django
from django.conf import settings

django.setup()
print(json.dumps({
    "MAILERS": settings.MAILERS,
    "SITE_URL": settings.SITE_URL,
    "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
    "REMINDER_DAYS": settings.REMINDER_DAYS,
}))
"""


def mail_settings(**env: str) -> dict[str, Any]:
    """drivkraft/settings.py read in a fresh interpreter with only the environment given."""
    env = {"DEBUG": "0", "SECRET_KEY": PRODUCTION_SECRET_KEY, "ALLOWED_HOSTS": "example.org"} | env
    result = run(["-c", DUMP_MAIL_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def test_settings_read_email_url_and_the_site_address():
    values = mail_settings(
        EMAIL_URL="smtp+tls://u:p@smtp.example.org",
        SITE_URL="https://drivkraft.example.no/",
        DEFAULT_FROM_EMAIL="Drivkraft <post@example.org>",
        REMINDER_DAYS="45",
    )
    options = values["MAILERS"]["default"]["OPTIONS"]
    assert (options["host"], options["port"], options["use_tls"]) == ("smtp.example.org", 587, True)
    assert options["timeout"] == 20
    assert values["SITE_URL"] == "https://drivkraft.example.no"
    assert values["DEFAULT_FROM_EMAIL"] == "Drivkraft <post@example.org>"
    assert values["REMINDER_DAYS"] == 45


def test_settings_read_the_usual_variables_and_default_to_sixty_days():
    values = mail_settings(EMAIL_HOST="smtp.example.org", EMAIL_PORT="587", EMAIL_USE_TLS="1")
    options = values["MAILERS"]["default"]["OPTIONS"]
    assert (options["host"], options["port"], options["use_tls"]) == ("smtp.example.org", 587, True)
    assert values["REMINDER_DAYS"] == 60
    assert values["SITE_URL"] == ""  # production names its address; the command refuses without


def test_development_prints_mail_to_the_console():
    values = mail_settings(DEBUG="1")
    assert values["MAILERS"] == {"default": {"BACKEND": CONSOLE_BACKEND}}
    assert values["SITE_URL"] == "http://127.0.0.1:8000"


def test_a_bad_email_url_stops_the_start():
    result = run(["-c", DUMP_MAIL_SETTINGS], DEBUG="1", EMAIL_URL="http://mail.example.org")
    assert result.returncode != 0
    assert "EMAIL_URL must start with" in result.stderr
