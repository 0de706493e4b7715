"""Settings for the test suite: the project's own settings with safe test defaults.

DATABASE_URL from the environment is honoured, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from drivkraft.settings import *  # noqa: E402,F403

# The operator's settings of a public deployment (drivkraft/core/checks.py), as placeholders:
# a test must never show a real organisation's number or address.
OPEN_DATA_PUBLISHER_ORGNR = "000000000"
OPEN_DATA_CONTACT_EMAIL = "apne-data@example.org"
ACCESSIBILITY_STATEMENT_URL = "https://uustatus.no/nb/erklaringer/publisert/eksempel"
ACCESSIBILITY_CONTACT_EMAIL = "tilgjengelighet@example.org"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Whatever the shell says: reports are rendered during the request (tests/reports/test_worker.py
# runs the database backend and its worker for real), and each test process has its own cache
# (the suite clears it between tests, which must never reach a shared Redis).
TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"]}}  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A change to the public content renders the current-status report after the commit; with the
# immediate backend that is a WeasyPrint render per committed change in the transactional tests.
# The tests of that path (tests/reports/test_current_status.py) turn it on.
CURRENT_REPORT_ON_CHANGE = False

# Development tools that production never loads: `lintmigrations` (make lint).
INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]  # noqa: F405
MIGRATION_LINTER_OPTIONS = {
    # Our apps only: third-party migrations are their authors' to keep safe.
    "include_apps": ["measures", "teams", "reports", "reminders"],
    # On SQLite every added column rebuilds its table (CREATE TABLE new__…), and the linter reads
    # each NOT NULL column there as added without a default: an initial migration's foreign keys
    # between its own new tables, and the columns with a database default: reports.0002's (NOW()),
    # teams.0003's ('') and reports.0004's ('nb').
    # On PostgreSQL, where production runs, both are plain ADD COLUMN and nothing is ignored.
    "ignore_name": (
        [
            "0001_initial",
            "0002_report_state_changed_at",
            "0003_municipality_number",
            "0004_current_report_language",
        ]
        if DATABASES["default"]["ENGINE"].endswith("sqlite3")  # noqa: F405
        else []
    ),
    "no_cache": True,
}

# The address the reminder mails link to (reminders/); an example domain, never a real one.
SITE_URL = "https://drivkraft.example.no"
DEFAULT_FROM_EMAIL = "Program Drivkraft <ikke-svar@drivkraft.example.no>"
