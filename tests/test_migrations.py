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

    In its own process on an in-memory database, as `make lint` runs it: sqlmigrate needs a
    schema editor, which SQLite refuses inside a test's transaction, and a transactional test
    would empty the test database of the roles the data migration made.
    """
    result = subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "--warnings-as-errors"],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Erroneous migrations: 0/" in result.stdout
