"""The admin as the project leader's back office: its start page, its read-only pages, its links."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.admin_area.conftest import page_text
from tests.conftest import links

pytestmark = pytest.mark.django_db


def test_the_start_page_links_to_min_side_and_the_public_site(client_for, own_measure):
    response = client_for("leader").get(reverse("admin:index"))

    assert response.status_code == 200
    found = links(response.content.decode())
    assert (settings.WORKSPACE_URL, "Gå til Min side") in found
    assert ("/", "Gå til den offentlige portalen") in found
    # «Mine tiltak» moved to Min side: the start page lists no measures of its own.
    assert "my_measures" not in response.context
    assert "Mine tiltak" not in page_text(response)
    assert reverse("admin:measures_measure_status", args=[own_measure.pk]) not in (
        response.content.decode()
    )


def test_the_start_page_lists_the_plan_first(client_for):
    response = client_for("leader").get(reverse("admin:index"))

    assert [app["app_label"] for app in response.context["app_list"]] == [
        "measures",
        "reports",
        "teams",
        "core",
    ]
