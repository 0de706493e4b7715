"""The models and the migrations agree."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()

    # --check exits with SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)

    assert "No changes detected" in out.getvalue()


# sqlmigrate opens a schema editor, which SQLite refuses inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_migrations_are_safe_to_deploy(capsys):
    """django-migration-linter (settings in tests/settings.py): no migration that breaks the
    running version during a deploy, such as dropping or renaming a column it still reads."""
    # Exits with SystemExit(1) on an erroneous migration; it prints rather than use stdout.
    call_command("lintmigrations", "--warnings-as-errors")

    assert "Erroneous migrations: 0/" in capsys.readouterr().out
