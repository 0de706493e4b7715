"""drivkraft.settings read from the environment, each case in a fresh interpreter."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Everything the settings read, so the test run's own environment cannot leak in.
SETTINGS_VARIABLES = {
    "ALLOWED_HOSTS",
    "CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "LOG_LEVEL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "SECRET_KEY",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "TASKS_BACKEND",
    "REPORT_STALE_MINUTES",
    "OPEN_DATA_PUBLISHER_ORGNR",
    "OPEN_DATA_CONTACT_EMAIL",
    "OPEN_DATA_CONTACT_URL",
    "EMBED_ALLOWED_ORIGINS",
    "ACCESSIBILITY_STATEMENT_URL",
    "ACCESSIBILITY_CONTACT_EMAIL",
    "SITE_URL",
    "EMAIL_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "REMINDER_DAYS",
}

# What an operator sets for a public deployment (docs/deploy.md), as placeholders.
PUBLIC_SITE = {
    "OPEN_DATA_PUBLISHER_ORGNR": "000000000",
    "OPEN_DATA_CONTACT_EMAIL": "apne-data@example.org",
    "ACCESSIBILITY_STATEMENT_URL": "https://uustatus.no/nb/erklaringer/publisert/eksempel",
    "ACCESSIBILITY_CONTACT_EMAIL": "tilgjengelighet@example.org",
    "SITE_URL": "https://drivkraft.example.no",
    "DEFAULT_FROM_EMAIL": "Program Drivkraft <ikke-svar@example.org>",
}

DUMP_SETTINGS = """
import json
import django
from django.conf import settings

django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST"),
    "PORT": db.get("PORT"),
    "USER": db.get("USER"),
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "TIME_ZONE": settings.TIME_ZONE,
    "USE_TZ": settings.USE_TZ,
    "MIDDLEWARE": settings.MIDDLEWARE,
    "INSTALLED_APPS": settings.INSTALLED_APPS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "STATICFILES_BACKEND": settings.STORAGES["staticfiles"]["BACKEND"],
    "CACHE": settings.CACHES["default"],
    "TASKS_BACKEND": settings.TASKS["default"]["BACKEND"],
    "INSTALLED_APPS": settings.INSTALLED_APPS,
    "OPEN_DATA": {
        name: getattr(settings, name)
        for name in [
            "OPEN_DATA_PUBLISHER_ORGNR", "OPEN_DATA_CONTACT_EMAIL", "OPEN_DATA_CONTACT_URL",
            "EMBED_ALLOWED_ORIGINS", "ACCESSIBILITY_STATEMENT_URL", "ACCESSIBILITY_CONTACT_EMAIL",
        ]
    },
    "SECURITY": {
        name: getattr(settings, name)
        for name in [
            "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_NAME",
            "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_NAME",
            "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
            "SILENCED_SYSTEM_CHECKS",
        ]
    },
}))
"""

PRODUCTION_SECRET_KEY = secrets.token_urlsafe(64)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environ |= {"DJANGO_SETTINGS_MODULE": "drivkraft.settings", **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def load_settings(**env: str) -> dict[str, Any]:
    result = run(["-c", DUMP_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.fixture(scope="module")
def development():
    return load_settings(DEBUG="1")


@pytest.fixture(scope="module")
def production():
    return load_settings(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET_KEY, ALLOWED_HOSTS="example.org")


@pytest.mark.parametrize("debug", [None, "0", "false", ""], ids=["unset", "0", "false", "empty"])
def test_missing_secret_key_with_debug_off_fails(debug):
    env = {} if debug is None else {"DEBUG": debug}

    result = run(["-c", "import django; django.setup()"], **env)

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    "key",
    [
        "x" * 49 + "y",  # two different characters
        secrets.token_urlsafe(30),  # 40 characters
        "django-insecure-local-development-only",
        "django-insecure-" + secrets.token_urlsafe(50),
        "abcd" * 20,  # four different characters
    ],
    ids=["two-characters", "short", "development-default", "development-prefix", "repetitive"],
)
def test_a_weak_secret_key_with_debug_off_fails(key):
    result = run(["-c", "import django; django.setup()"], DEBUG="0", SECRET_KEY=key)

    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: SECRET_KEY")
    assert "at least 50 characters" in last_line
    assert key not in result.stderr  # the key itself is never printed


def test_a_weak_secret_key_is_accepted_for_development():
    loaded = load_settings(DEBUG="1", SECRET_KEY="kort")

    assert loaded["SECRET_KEY"] == "kort"


def test_debug_without_secret_key_works(development):
    assert development["DEBUG"] is True
    assert development["SECRET_KEY"].startswith("django-insecure-")
    assert development["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]


def test_production_uses_the_given_secret_key(production):
    assert production["DEBUG"] is False
    assert production["SECRET_KEY"] == PRODUCTION_SECRET_KEY
    assert production["ALLOWED_HOSTS"] == ["example.org"]
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["STATICFILES_BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_invalid_debug_value_fails_clearly():
    result = run(["-c", "import django; django.setup()"], DEBUG="maybe", SECRET_KEY="x" * 50)

    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: DEBUG")
    assert "'maybe'" in last_line


def test_default_database_is_sqlite_file_in_project_folder(development):
    assert development["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(development["NAME"]) == PROJECT_ROOT / "db.sqlite3"


def test_sqlite_database_url_is_honoured(tmp_path):
    path = tmp_path / "x.sqlite3"

    loaded = load_settings(DEBUG="1", DATABASE_URL=f"sqlite:///{path}")

    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["NAME"] == str(path)


def test_postgres_database_url_is_honoured():
    loaded = load_settings(DEBUG="1", DATABASE_URL="postgres://u@h:5432/db")

    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    assert (loaded["NAME"], loaded["HOST"], loaded["PORT"], loaded["USER"]) == (
        "db",
        "h",
        5432,
        "u",
    )


def test_norwegian_locale_and_oslo_time(development):
    assert development["LANGUAGE_CODE"] == "nb"
    assert development["TIME_ZONE"] == "Europe/Oslo"
    assert development["USE_TZ"] is True


def test_whitenoise_answers_static_files_inside_the_security_headers(production):
    middleware = production["MIDDLEWARE"]

    # WhiteNoise answers before any middleware below it runs: everything that adds security
    # headers must come first, and nothing else.
    assert middleware[:4] == [
        "django.middleware.security.SecurityMiddleware",
        "drivkraft.middleware.SecurityHeadersMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_production_is_secure_by_default(production):
    assert production["SECURITY"] == {
        "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        # The deploy check below passes on its merits, not because a warning is silenced.
        "SILENCED_SYSTEM_CHECKS": [],
    }


def test_production_loads_no_development_tools(production):
    assert "django_migration_linter" not in production["INSTALLED_APPS"]


def test_deploy_check_passes():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="example.org",
        **PUBLIC_SITE,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_names_what_the_public_site_still_needs():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode != 0
    for check_id, setting in [
        ("drivkraft.W001", "OPEN_DATA_PUBLISHER_ORGNR"),
        ("drivkraft.W002", "OPEN_DATA_CONTACT_EMAIL"),
        ("drivkraft.W003", "ACCESSIBILITY_STATEMENT_URL"),
        ("drivkraft.W004", "ACCESSIBILITY_CONTACT_EMAIL"),
        ("drivkraft.W005", "SITE_URL"),
        ("drivkraft.W006", "DEFAULT_FROM_EMAIL"),
    ]:
        line = next(line for line in result.stderr.splitlines() if check_id in line)
        assert setting in line
    # Without --deploy (as `runserver` and `migrate` check) they stay quiet.
    plain = run(
        ["manage.py", "check", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="example.org",
    )
    assert plain.returncode == 0, plain.stderr


def test_development_shows_placeholders_never_a_real_organisation():
    loaded = load_settings(DEBUG="1")
    assert loaded["OPEN_DATA"] == {
        "OPEN_DATA_PUBLISHER_ORGNR": "000000000",
        "OPEN_DATA_CONTACT_EMAIL": "apne-data@example.org",
        "OPEN_DATA_CONTACT_URL": "",
        "EMBED_ALLOWED_ORIGINS": [],
        "ACCESSIBILITY_STATEMENT_URL": "",
        "ACCESSIBILITY_CONTACT_EMAIL": "tilgjengelighet@example.org",
    }


def test_production_takes_the_public_settings_from_the_environment():
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="example.org",
        EMBED_ALLOWED_ORIGINS="https://www.harstad.kommune.no, http://localhost:8080",
        **PUBLIC_SITE,
    )

    assert loaded["OPEN_DATA"] == {
        "OPEN_DATA_PUBLISHER_ORGNR": "000000000",
        "OPEN_DATA_CONTACT_EMAIL": "apne-data@example.org",
        "OPEN_DATA_CONTACT_URL": "",
        "EMBED_ALLOWED_ORIGINS": ["https://www.harstad.kommune.no", "http://localhost:8080"],
        "ACCESSIBILITY_STATEMENT_URL": PUBLIC_SITE["ACCESSIBILITY_STATEMENT_URL"],
        "ACCESSIBILITY_CONTACT_EMAIL": "tilgjengelighet@example.org",
    }
    unset = load_settings(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET_KEY, ALLOWED_HOSTS="example.org")
    assert unset["OPEN_DATA"]["OPEN_DATA_PUBLISHER_ORGNR"] == ""
    assert unset["OPEN_DATA"]["OPEN_DATA_CONTACT_EMAIL"] == ""


@pytest.mark.parametrize(
    "origin",
    [
        "https://a.example; script-src *",
        "https://a.example/side",
        "a.example",
        "'self'",
        "javascript:alert(1)",
    ],
)
def test_an_embed_origin_that_is_no_origin_stops_the_start(origin):
    result = run(
        ["-c", "import django; django.setup()"],
        DEBUG="1",
        EMBED_ALLOWED_ORIGINS=f"https://ok.example,{origin}",
    )

    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: EMBED_ALLOWED")


def test_a_malformed_organisation_number_is_an_error():
    result = run(["manage.py", "check"], DEBUG="1", OPEN_DATA_PUBLISHER_ORGNR="97 12 34")

    assert result.returncode != 0
    assert "drivkraft.E001" in result.stderr


def test_without_redis_each_process_has_its_own_cache(development, production):
    for loaded in (development, production):
        assert loaded["CACHE"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_gives_a_shared_redis_cache():
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="example.org",
        REDIS_URL="redis://cache.internal:6379/2",
    )

    cache = loaded["CACHE"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["KEY_PREFIX"] == "drivkraft"
    assert cache["OPTIONS"]["socket_timeout"] <= 2


def test_tasks_run_immediately_in_development_and_through_the_database_in_production(
    development, production
):
    assert development["TASKS_BACKEND"] == "django.tasks.backends.immediate.ImmediateBackend"
    assert production["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    # The queue's tables exist in every setup, so switching needs no other change.
    assert "django_tasks_db" in development["INSTALLED_APPS"]


@pytest.mark.parametrize(
    ("debug", "backend", "expected"),
    [
        ("1", "database", "django_tasks_db.DatabaseBackend"),
        ("0", "immediate", "django.tasks.backends.immediate.ImmediateBackend"),
    ],
)
def test_tasks_backend_can_be_chosen(debug, backend, expected):
    loaded = load_settings(
        DEBUG=debug,
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="example.org",
        TASKS_BACKEND=backend,
    )

    assert loaded["TASKS_BACKEND"] == expected


def test_an_unknown_tasks_backend_fails_clearly():
    result = run(["-c", "import django; django.setup()"], DEBUG="1", TASKS_BACKEND="celery")

    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: TASKS_BACKEND")
    assert "'celery'" in last_line


def test_behind_a_proxy_the_login_lockout_counts_the_client_address(settings: Any) -> None:
    """With AXES_PROXY_COUNT set, django-axes reads the client from X-Forwarded-For (through
    django-ipware); without it, a lock-out behind nginx would hit every visitor at once."""
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory

    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    request = RequestFactory().get(
        "/admin/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="84.208.1.7, 10.0.0.2"
    )
    assert get_client_ip_address(request) == "84.208.1.7"

    settings.AXES_IPWARE_PROXY_COUNT = None
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    assert get_client_ip_address(request) == "10.0.0.2"
