"""The models and the migrations agree."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()

    # --check exits with SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)

    assert "No changes detected" in out.getvalue()


def test_migrations_are_safe_to_deploy():
    """django-migration-linter (settings in tests/settings.py): no migration that breaks the
    running version during a deploy, such as dropping or renaming a column it still reads.

    In its own process, as `make lint` runs it: sqlmigrate needs a schema editor, which SQLite
    refuses inside a test's transaction, and a transactional test would empty the test database
    of the roles the data migration made. On the suite's PostgreSQL when it runs on PostgreSQL
    (sqlmigrate only reads), else on an in-memory SQLite database.
    """
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        # The server's maintenance database: the suite's own may not exist outside the run.
        database_url = database_url.rsplit("/", 1)[0] + "/postgres"
    else:
        database_url = "sqlite:///:memory:"
    result = subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "--warnings-as-errors"],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Erroneous migrations: 0/" in result.stdout


def test_the_report_state_column_has_a_database_default():
    """Added while the previous version may still insert reports without it (during a deploy),
    the column gets its value from the database, not only from Django."""
    from importlib import import_module

    from django.db.models import NOT_PROVIDED
    from django.db.models.functions import Now

    migration = import_module("reports.migrations.0002_report_state_changed_at").Migration
    (operation,) = migration.operations

    assert operation.name == "state_changed_at"
    assert not operation.field.null
    assert operation.field.db_default is not NOT_PROVIDED
    assert isinstance(operation.field.db_default, Now)
