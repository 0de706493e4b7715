"""Every file the reports make goes through Django's default storage, so that several app servers
and workers can share it (an NFS mount of MEDIA_ROOT, or S3 through django-storages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.test import Client

from reports.models import Report, ReportState
from tests.reports.conftest import FakeRender, Plan, logged_in, render_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings: Any, tmp_path: Path) -> Path:
    """The default storage in memory; MEDIA_ROOT an empty folder that must stay empty."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return tmp_path


def test_issued_and_current_reports_are_kept_only_in_the_configured_storage(
    as_leader: Client,
    steering: Any,
    plan: Plan,
    memory_storage: Path,
    fake_render: FakeRender,
) -> None:
    as_leader.post(
        "/rapporter/ny/",
        {
            "scope": "program",
            "period_start": "2024-01-01",
            "period_end": "2024-06-30",
            "title": "Statusrapport",
            "_issue": "1",
        },
    )
    report = Report.objects.get()
    assert report.state == ReportState.ISSUED
    assert report.pdf.name
    stored = default_storage.open(report.pdf.name, "rb").read()
    download = as_leader.get(f"/rapporter/{report.pk}.pdf")
    assert isinstance(download, FileResponse)
    downloaded = b"".join(download.streaming_content)
    render_current()
    current = logged_in(steering).get("/rapporter/gjeldende.pdf")

    assert stored.startswith(b"%PDF")
    assert downloaded == stored
    assert current.content.startswith(b"%PDF")
    assert default_storage.listdir("rapporter/gjeldende")[1]
    assert list(memory_storage.iterdir()) == []  # nothing written beside the storage
