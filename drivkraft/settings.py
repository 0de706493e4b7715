"""Settings for the Drivkraft portal, read from the environment (12-factor).

Variables: DEBUG, SECRET_KEY (required when DEBUG is off), ALLOWED_HOSTS,
DATABASE_URL (default: a SQLite file in the project folder), REDIS_URL (a cache shared by all app
servers), TASKS_BACKEND (immediate or database); docs/deploy.md lists them all.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django.conf.locale
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from drivkraft.core.email import CONSOLE_BACKEND, mailer_from_url, smtp_mailer

# Lets classes such as Feed and ModelAdmin take type parameters at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false, yes/no), not {value!r}."
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_origins(name: str) -> list[str]:
    """Comma-separated web origins (`https://www.harstad.kommune.no`): a scheme, a host and
    perhaps a port, nothing else. They go into a Content-Security-Policy header, where a space or a
    semicolon would add a directive of its own, so anything else stops the start."""
    origins = env_list(name)
    for origin in origins:
        if not ORIGIN.fullmatch(origin):
            raise ImproperlyConfigured(
                f"{name} must be comma-separated origins such as https://www.example.no "
                f"(a scheme, a host and an optional port; no path), not {origin!r}."
            )
    return origins


ORIGIN = re.compile(r"https?://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")

DEBUG = env_bool("DEBUG")

# What `check --deploy` asks of a secret key (security.W009), required here when DEBUG is off.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
DEVELOPMENT_SECRET_KEY_PREFIX = "django-insecure-"  # noqa: S105 - a prefix, not a key

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The SECRET_KEY environment variable is required when DEBUG is off. "
            "Set SECRET_KEY to a long random value (or DEBUG=1 for local development)."
        )
    # Only for local development: never used when DEBUG is off.
    SECRET_KEY = DEVELOPMENT_SECRET_KEY_PREFIX + "local-development-only"
elif not DEBUG and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(DEVELOPMENT_SECRET_KEY_PREFIX)
):
    # A short or guessable key lets anyone forge sessions and signed data; only `check --deploy`
    # would say so, and nothing runs it on every start.
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for DEBUG off: it must have at least {SECRET_KEY_MIN_LENGTH} "
        f"characters, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them different, and must not be a "
        f"development key ({DEVELOPMENT_SECRET_KEY_PREFIX}…). Make one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "drivkraft.core.apps.DrivkraftAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_tasks_db",
    "drivkraft.core",
    "teams",
    "measures",
    "reports",
    "reminders",
    "participation",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Cross-Origin-Resource-Policy, which Django does not send itself.
    "drivkraft.middleware.SecurityHeadersMiddleware",
    # Before WhiteNoise, which answers static files itself: they need the policy too (an SVG
    # opened on its own is a document that could run script).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the views and both page caches: a fresh time stamp in each public form, cached or not.
    "drivkraft.middleware.FormStampMiddleware",
    # A visitor's repeat request for a public page is answered here, before the middleware below
    # (sessions, language, CSRF, users, messages), which has nothing to do for a stored page.
    "drivkraft.core.caching.SharedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What a logged-in user sees is never stored by the browser (Cache-Control: private, no-store).
    "drivkraft.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A lost database connection in a view becomes a Norwegian 503 page, not a 500.
    "drivkraft.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins for a locked username + address pair before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Object-level permissions for the roles (teams/roles.py; each app's rules.py).
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, refusing the demo logins of `make run` whenever DEBUG is off.
    "drivkraft.core.accounts.AccountBackend",
]

ROOT_URLCONF = "drivkraft.urls"
WSGI_APPLICATION = "drivkraft.wsgi.application"
ASGI_APPLICATION = "drivkraft.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "drivkraft.core.context_processors.content_language",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing, and let readers run beside a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "teams.validators.NorwegianCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The ids of the Atom feeds and their entries are tag: URIs (RFC 4151) under this prefix, made
# once for all time: Hålogalandsrådet's domain, in the year the programme started. They do not
# follow the host a feed is fetched under, nor the site's address; never change it (every reader
# would see every entry as new).
FEED_ID_PREFIX = "tag:halogalandsradet.no,2018:drivkraft"

LANGUAGE_CODE = "nb"
# Northern Sámi (`se`, under /se/): Lavangen and Tjeldsund are in the administrative area for
# Northern Sámi, where public forms should exist in Sámi too. Only the header, the footer and the
# public input form are translated (locale/se/README.md); the rest of a /se/ page is bokmål and
# marked so (`<main lang="nb">`).
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English"), ("se", "Davvisámegiella")]
PARTLY_TRANSLATED_LANGUAGES = ["se"]
# Django knows no Northern Sámi: its name and direction, for the language tags and switchers.
django.conf.locale.LANG_INFO = {
    **django.conf.locale.LANG_INFO,
    "se": {"bidi": False, "code": "se", "name": "Northern Sami", "name_local": "davvisámegiella"},
}
# Dates and numbers on a /se/ page are in the bokmål content's format (drivkraft/formats/se/).
FORMAT_MODULE_PATH = ["drivkraft.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# A strict policy: no inline script or style anywhere, so no nonce is needed either (and cached
# pages stay valid).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Other sites may not load our responses as images, scripts or frames (fetch with CORS is not
# affected; the open data stays open to servers and scripts that ask for it). The views made for
# other sites' iframes (/innebygd/…, measures/views/embeds.py) say cross-origin instead.
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Browser features nobody may use on our pages, this site included (drivkraft.middleware).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
# Everyone logs in at /logg-inn/ and lands on Min side (the admin keeps its own login page). A
# refused «next» (another site, say) lands there too: Django's default, /accounts/profile/, does not
# exist here.
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
# Min side, the workspace of measure owners and the steering group: where the admin sends whoever
# is logged in but no project leader. A path or a URL name (resolved with resolve_url).
WORKSPACE_URL = "workspace:home"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie: forms carry the token, and htmx posts only from inside a
# form, with the form's token.
CSRF_COOKIE_HTTPONLY = True
# Messages live in the session, so the session and CSRF cookies are the only cookies we set.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Brute-force protection: 5 failures for one username from one address lock that pair for
# 15 minutes (429 with a Norwegian page); the lock always lifts by itself.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HTTP_RESPONSE_CODE = 429
# The lock-out page in the design of the login that was refused: the admin's or the portal's.
AXES_LOCKOUT_CALLABLE = "drivkraft.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a proxy (nginx, a load balancer) the client address comes from X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is for reading; reverting would bypass the services, the rules and the version check.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Report PDFs are rendered as tasks. «immediate» renders during the request (development, tests);
# «database» queues them in the database for `manage.py db_worker` (make worker) on any machine.
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip() or (
    "immediate" if DEBUG else "database"
)
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# A running measure with no status update for more than this many days is «not updated»
# (stale) everywhere: the measure page, Min side, the admin and the reports.
STALE_DAYS = int(os.environ.get("STALE_DAYS", "90"))
# A report that has not moved for this long (no worker took it, or its worker died) is shown as
# failed with the reason, and can be tried again.
REPORT_STALE_MINUTES = int(os.environ.get("REPORT_STALE_MINUTES", "15"))
# Reports ordered and not yet issued (queued or rendering): at most this many per person, and in
# all; a further order is refused with what is pending.
REPORT_MAX_PENDING_PER_USER = int(os.environ.get("REPORT_MAX_PENDING_PER_USER", "1"))
REPORT_MAX_PENDING = int(os.environ.get("REPORT_MAX_PENDING", "3"))
# The current-status report (/rapporter/gjeldende.pdf) is rendered by a task when the public
# content changes, never in a request (reports/current.py). The task waits this long, so that a
# burst of changes makes one render (with a backend that can wait: the database backend).
CURRENT_REPORT_ON_CHANGE = env_bool("CURRENT_REPORT_ON_CHANGE", True)
CURRENT_REPORT_DELAY_SECONDS = int(os.environ.get("CURRENT_REPORT_DELAY_SECONDS", "10"))

# Open data (measures/open_data.py, /data/): who publishes it and whom to ask, for the DCAT-AP-NO
# catalogue that data.norge.no harvests (/data/katalog.ttl). The publisher is named by its
# organisation number in Enhetsregisteret; production must set it and a contact (`check --deploy`
# warns until then). Development shows obvious placeholders, never a real organisation's number.
OPEN_DATA_PUBLISHER_NAME = "Hålogalandsrådet"
OPEN_DATA_PUBLISHER_ORGNR = os.environ.get("OPEN_DATA_PUBLISHER_ORGNR", "").strip() or (
    "000000000" if DEBUG else ""
)
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "").strip() or (
    "apne-data@example.org" if DEBUG else ""
)
OPEN_DATA_CONTACT_URL = os.environ.get("OPEN_DATA_CONTACT_URL", "").strip()

# The small pages made for other sites' iframes (/innebygd/…) may be framed by these origins (and
# by this site); every other page may be framed by nobody (frame-ancestors 'none').
EMBED_ALLOWED_ORIGINS = env_origins("EMBED_ALLOWED_ORIGINS")

# The accessibility statement (/tilgjengelighet/): Norwegian public bodies publish theirs at
# uustatus.no and link it from the site; readers need an address for feedback. `check --deploy`
# warns while either is unset.
ACCESSIBILITY_STATEMENT_URL = os.environ.get("ACCESSIBILITY_STATEMENT_URL", "").strip()
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "").strip() or (
    "tilgjengelighet@example.org" if DEBUG else ""
)

# The site's own address, for links that leave it: the e-mails (reminders, answers to input). Pages,
# feeds and open data never need it (their links follow the request). No trailing slash.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or (
    "http://127.0.0.1:8000" if DEBUG else ""
)

# Outgoing mail (Django's MAILERS), for the reminders and the answers to public input: EMAIL_URL
# (smtp://user:password@host:port, smtp+tls://… for
# STARTTLS, smtp+ssl://…, console://; drivkraft/core/email.py), else the usual EMAIL_HOST,
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL. With DEBUG and
# neither set, mail is printed to the console; the tests keep it in memory (locmem). A mail server
# that does not answer must not hold a worker for long (EMAIL_TIMEOUT seconds): the run logs it
# and the next run tries again.
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
_EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "").strip() or "20")
if EMAIL_URL:
    MAILERS = {"default": mailer_from_url(EMAIL_URL, timeout=_EMAIL_TIMEOUT)}
elif DEBUG and not os.environ.get("EMAIL_HOST", "").strip():
    MAILERS = {"default": {"BACKEND": CONSOLE_BACKEND}}
else:
    MAILERS = {
        "default": smtp_mailer(
            host=os.environ.get("EMAIL_HOST", "").strip() or "localhost",
            port=int(os.environ.get("EMAIL_PORT", "").strip() or "25"),
            username=os.environ.get("EMAIL_HOST_USER", ""),
            password=os.environ.get("EMAIL_HOST_PASSWORD", ""),
            use_tls=env_bool("EMAIL_USE_TLS"),
            use_ssl=env_bool("EMAIL_USE_SSL"),
            timeout=_EMAIL_TIMEOUT,
        )
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or (
    "Program Drivkraft <ikke-svar@example.org>" if DEBUG else "webmaster@localhost"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "").strip() or DEFAULT_FROM_EMAIL

# Reminders by e-mail (manage.py send_reminders, daily): an owner's measure with no status update
# for this many days is in the owner's digest; a person gets at most one reminder per
# REMINDER_INTERVAL_DAYS; milestones due within REMINDER_MILESTONE_DAYS are named.
REMINDER_DAYS = int(os.environ.get("REMINDER_DAYS", "60"))
REMINDER_INTERVAL_DAYS = 7
REMINDER_MILESTONE_DAYS = 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO, pikepdf announces itself at INFO in every
    # process that loads it; only their warnings matter here.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# With several app servers, REDIS_URL gives them one shared cache (e.g. redis://host:6379/0);
# without it each process keeps its own. Entries are keyed by the content revision, so either
# way no server serves a page older than the last change.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "drivkraft"),
            "TIMEOUT": 600,
            # A slow or absent Redis must not hold a request for long (drivkraft/core/caching.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Public pages are cached under their content revision; off in development so template edits show.
PUBLIC_PAGE_CACHE_SECONDS = int(
    os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "0" if DEBUG else "600")
)

# The per-address limit on public input (participation, django-ratelimit's decorator) counts in
# the default cache. With REDIS_URL every app server and worker shares the count (Django's own
# RedisCache increments atomically). Without it the count is per process: exact for `make run`,
# a few times the limit with several gunicorn workers (docs/deploy.md). django_ratelimit is not an
# installed app: its system checks know only third-party Redis backends and would refuse Django's
# own as well as the per-process cache. A Redis that is down lets input through rather than
# refusing everyone.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
