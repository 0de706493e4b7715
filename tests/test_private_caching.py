"""What a logged-in user sees is never kept by the browser: the reports, their PDFs and the admin
answer «Cache-Control: private, no-store». An office computer is shared; a report PDF cached for a
year outlived the logout. Public pages keep their caching, whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reports import pdf as engine
from teams.roles import PROJECT_LEADER, STEERING_GROUP
from tests.admin_area.conftest import make_staff_user
from tests.conftest import MEASURE_SLUG
from tests.reports.conftest import FakeRender, make_report, render_current

PRIVATE_URLS = [
    "/rapporter/",
    "/rapporter/{report}/",
    "/rapporter/{report}.pdf",
    "/rapporter/gjeldende.pdf",
    "/en/rapporter/",
]
LEADER_ONLY = [
    # The admin is the project leader's back office.
    "/admin/",
    "/admin/measures/measure/",
    "/admin/measures/measure/{measure}/change/",
    "/admin/measures/measure/{measure}/history/",
    "/admin/teams/person/",
    "/rapporter/ny/",
    "/rapporter/ny/forhandsvisning/?scope=program&period_start=2024-01-01&period_end=2024-06-30",
]


@pytest.fixture
def logged_in_site(portal: Any, settings: Any, tmp_path: Any, monkeypatch: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(engine, "render_pdf", FakeRender())
    report = make_report(title="Statusrapport")
    render_current()
    return {"report": report.pk, "measure": portal.measure.pk}


def directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("role", [PROJECT_LEADER, STEERING_GROUP])
def test_every_page_behind_the_login_is_never_stored(logged_in_site, role):
    client = Client()
    client.force_login(make_staff_user("bruker", role))
    urls = PRIVATE_URLS + (LEADER_ONLY if role == PROJECT_LEADER else [])

    for url in urls:
        response = client.get(url.format(**logged_in_site))
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), (url, response["Cache-Control"])
        assert not directives(response) & {"public", "immutable"}, url
        assert "max-age=31536000" not in directives(response), url


def test_a_not_modified_pdf_is_not_stored_either(logged_in_site):
    client = Client()
    client.force_login(make_staff_user("styret", STEERING_GROUP))
    etag = client.get("/rapporter/gjeldende.pdf")["ETag"]

    response = client.get("/rapporter/gjeldende.pdf", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert {"private", "no-store"} <= directives(response)


@pytest.mark.parametrize("url", ["/", f"/tiltak/{MEASURE_SLUG}/", "/feed/", "/data/tiltak.csv"])
def test_public_pages_are_shared_with_visitors_and_private_to_a_logged_in_user(portal, url):
    """A visitor's copy may be kept (and checked again); a logged-in user's page names them in
    its header, so no browser or proxy may keep it."""
    visitor = Client().get(url)
    client = Client()
    client.force_login(make_staff_user("leder", PROJECT_LEADER))

    response = client.get(url)

    assert visitor.status_code == response.status_code == 200
    assert directives(visitor) == {"public", "no-cache"}
    assert visitor["ETag"]
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response)
    assert "ETag" not in response
