"""Who may see, issue and retry steering-group reports: the three roles, a user without one, and
anonymous visitors. No real PDF is rendered here (see `fake_render`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.http import FileResponse
from django.test import Client

from reports.models import Report, ReportState
from tests.reports.conftest import FakeRender, Plan, logged_in, login_url, render_current

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

ISSUE_FORM = {
    "scope": "program",
    "period_start": "2024-01-01",
    "period_end": "2024-06-30",
    "title": "Rapport som ikke skal finnes",
}
PREVIEW = (
    "/rapporter/ny/forhandsvisning/?scope=program&period_start=2024-01-01&period_end=2024-06-30"
)


@pytest.fixture
def issued(plan: Plan, report_maker: Callable[..., Report]) -> Report:
    return report_maker(title="Statusrapport våren 2024")


@pytest.fixture
def failed(plan: Plan, report_maker: Callable[..., Report]) -> Report:
    return report_maker(state=ReportState.FAILED, title="Feilet rapport", error="OSError: borte")


def read_pages(report: Report) -> list[str]:
    return [
        "/rapporter/",
        f"/rapporter/{report.pk}/",
        f"/rapporter/{report.pk}.pdf",
        "/rapporter/gjeldende.pdf",
    ]


# Anonymous visitors


def test_anonymous_visitors_are_sent_to_the_login_page(
    issued: Report, fake_render: FakeRender
) -> None:
    client = Client()
    for path in [*read_pages(issued), "/rapporter/ny/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == login_url(path)
    assert fake_render.calls == []


def test_anonymous_posts_are_sent_to_the_login_page_and_change_nothing(
    failed: Report, fake_render: FakeRender
) -> None:
    client = Client()
    response = client.post("/rapporter/ny/", {**ISSUE_FORM, "_issue": "1"})
    assert response.status_code == 302
    assert response["Location"] == login_url("/rapporter/ny/")

    retry = f"/rapporter/{failed.pk}/prov-igjen/"
    response = client.post(retry)
    assert response["Location"] == login_url(retry)

    assert Report.objects.count() == 1
    failed.refresh_from_db()
    assert failed.state == ReportState.FAILED
    assert fake_render.calls == []


def test_anonymous_preview_is_sent_to_the_login_page(plan: Plan) -> None:
    response = Client().get(PREVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(login_url("/rapporter/ny/forhandsvisning/"))


# Tiltaksansvarlig: no access at all


def test_a_measure_owner_is_refused_every_report_page(
    owner: Any, issued: Report, fake_render: FakeRender
) -> None:
    client = logged_in(owner)
    for path in [*read_pages(issued), "/rapporter/ny/", PREVIEW]:
        assert client.get(path).status_code == 403, path
    assert fake_render.calls == []


def test_a_measure_owner_may_not_issue_nor_preview(
    owner: Any, plan: Plan, fake_render: FakeRender
) -> None:
    client = logged_in(owner)
    assert client.post("/rapporter/ny/", {**ISSUE_FORM, "_issue": "1"}).status_code == 403
    assert client.post("/rapporter/ny/", {**ISSUE_FORM, "_preview": "1"}).status_code == 403
    assert not Report.objects.exists()
    assert fake_render.calls == []


def test_a_measure_owner_may_not_retry(owner: Any, failed: Report, fake_render: FakeRender) -> None:
    response = logged_in(owner).post(f"/rapporter/{failed.pk}/prov-igjen/")
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.state == ReportState.FAILED
    assert fake_render.calls == []


# Styringsgruppe: reads, never issues


def test_the_steering_group_reads_the_archive_and_downloads(
    steering: Any, issued: Report, media: Path, fake_render: FakeRender
) -> None:
    client = logged_in(steering)

    archive = client.get("/rapporter/")
    assert archive.status_code == 200
    assert "Statusrapport våren 2024" in archive.text
    assert "/rapporter/ny/" not in archive.text  # no «Lag ny rapport» for them

    assert client.get(f"/rapporter/{issued.pk}/").status_code == 200

    download = client.get(f"/rapporter/{issued.pk}.pdf")
    assert download.status_code == 200
    assert isinstance(download, FileResponse)
    assert download["Content-Type"] == "application/pdf"
    assert issued.pdf.name
    assert b"".join(download.streaming_content) == (media / issued.pdf.name).read_bytes()

    render_current()
    current = client.get("/rapporter/gjeldende.pdf")
    assert current.status_code == 200
    assert current["Content-Type"] == "application/pdf"
    assert current.content.startswith(b"%PDF")
    assert len(fake_render.calls) == 1


def test_the_steering_group_may_not_make_reports(
    steering: Any, plan: Plan, fake_render: FakeRender
) -> None:
    client = logged_in(steering)
    assert client.get("/rapporter/ny/").status_code == 403
    assert client.get(PREVIEW).status_code == 403
    assert client.post("/rapporter/ny/", {**ISSUE_FORM, "_preview": "1"}).status_code == 403
    assert client.post("/rapporter/ny/", {**ISSUE_FORM, "_issue": "1"}).status_code == 403
    assert not Report.objects.exists()
    assert fake_render.calls == []


def test_the_steering_group_may_not_retry(
    steering: Any, failed: Report, fake_render: FakeRender
) -> None:
    response = logged_in(steering).post(f"/rapporter/{failed.pk}/prov-igjen/")
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.state == ReportState.FAILED
    assert fake_render.calls == []


@pytest.mark.parametrize("state", [ReportState.QUEUED, ReportState.RENDERING, ReportState.FAILED])
def test_the_steering_group_sees_only_issued_reports(
    steering: Any, plan: Plan, report_maker: Any, state: str
) -> None:
    unfinished = report_maker(state=state, title="Halvferdig rapport", error="feil")
    client = logged_in(steering)
    assert client.get(f"/rapporter/{unfinished.pk}/").status_code == 404
    assert client.get(f"/rapporter/{unfinished.pk}.pdf").status_code == 404
    assert "Halvferdig rapport" not in client.get("/rapporter/").text


# Prosjektleder: everything


def test_a_project_leader_may_do_everything(
    leader: Any, issued: Report, failed: Report, fake_render: FakeRender
) -> None:
    client = logged_in(leader)
    render_current()
    for path in [*read_pages(issued), "/rapporter/ny/", PREVIEW]:
        assert client.get(path).status_code == 200, path

    assert client.post("/rapporter/ny/", {**ISSUE_FORM, "_preview": "1"}).status_code == 200
    response = client.post("/rapporter/ny/", {**ISSUE_FORM, "_issue": "1"})
    assert response.status_code == 302
    made = Report.objects.get(title=ISSUE_FORM["title"])
    assert response["Location"] == f"/rapporter/{made.pk}/"

    response = client.post(f"/rapporter/{failed.pk}/prov-igjen/")
    assert response.status_code == 302
    assert response["Location"] == f"/rapporter/{failed.pk}/"
    failed.refresh_from_db()
    assert failed.state == ReportState.ISSUED


def test_a_user_without_a_role_is_refused(no_role: Any, issued: Report) -> None:
    client = logged_in(no_role)
    for path in [*read_pages(issued), "/rapporter/ny/"]:
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize(
    ("role", "may_read", "may_issue"),
    [
        ("leader", True, True),
        ("steering", True, False),
        ("owner", False, False),
        ("no_role", False, False),
    ],
)
def test_permissions_per_role(
    request: pytest.FixtureRequest, role: str, may_read: bool, may_issue: bool
) -> None:
    user = request.getfixturevalue(role)
    assert user.has_perm("reports.view_report") is may_read
    assert user.has_perm("reports.issue_report") is may_issue
    assert user.has_perm("reports.add_report") is may_issue
    # An issued report is a record: nobody changes or deletes it through the permissions.
    assert user.has_perm("reports.change_report") is False
    assert user.has_perm("reports.delete_report") is False
