"""Every admin page the project leader can reach is Norwegian as the server renders it: no text,
button, tooltip or label is one of Django's English phrases (tests/admin_area/english.py).

What JavaScript adds (the calendar, the autocomplete, the selection counter) is checked in a
browser: tests/browser/test_admin_norwegian.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from measures.models import Measure
from reports.models import Report
from tests.admin_area.english import english, page_texts
from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(settings: Any, tmp_path: Path) -> Report:
    settings.MEDIA_ROOT = tmp_path
    return make_report(title="Statusrapport våren 2025")


def admin_pages(request: Any) -> Iterator[str]:
    """The start page, and for every model the leader may see: its app's page, its list (with
    the facet counts, and drilled into its date hierarchy), one object's form, history, one old
    version and the delete page, and the add form."""
    yield reverse("admin:index")
    yield reverse("admin:password_change")
    yield reverse("admin:measures_measure_import")
    measure = Measure.objects.filter(is_published=True, archived_at=None).first()
    assert measure is not None
    yield reverse("admin:measures_measure_status", args=[measure.pk])
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        if not model_admin.has_view_permission(request):
            continue
        yield reverse("admin:app_list", args=[opts.app_label])
        changelist = reverse(f"{name}_changelist")
        yield changelist
        yield f"{changelist}?_facets=True"
        yield f"{changelist}?q=finnes-ikke"
        if model_admin.date_hierarchy:
            yield f"{changelist}?{model_admin.date_hierarchy}__year=2025"
        if model_admin.has_add_permission(request):
            yield reverse(f"{name}_add")
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        yield reverse(f"{name}_change", args=[obj.pk])
        if model_admin.has_delete_permission(request, obj):
            yield reverse(f"{name}_delete", args=[obj.pk])
        try:
            yield reverse(f"{name}_history", args=[obj.pk])
        except NoReverseMatch:
            continue
        record = getattr(obj, "history", None)
        if record is not None and record.exists():
            yield reverse(f"{name}_simple_history", args=[obj.pk, record.earliest().history_id])


def test_every_admin_page_the_leader_reaches_is_norwegian(client_for, leader, portal, report, rf):
    client = client_for("leader")
    request = rf.get("/admin/")
    request.user = leader
    english_on: dict[str, list[str]] = {}
    pages = list(admin_pages(request))
    assert len(pages) > 60  # every model, not a handful

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = english(page_texts(response.content.decode()))
        if found:
            english_on[url] = found

    assert english_on == {}


def test_forms_with_errors_and_messages_are_norwegian(client_for, portal):
    client = client_for("leader")
    changelist = reverse("admin:measures_measure_changelist")
    pages = {
        # A form sent empty: «This field is required» and «Please correct the errors below».
        "empty add form": client.post(reverse("admin:measures_measure_add"), {}),
        # An action with nothing selected: «Items must be selected…».
        "action on nothing": client.post(
            changelist, {"action": "publish", "index": "0"}, follow=True
        ),
        # A filter that cannot be: the list's error page.
        "impossible filter": client.get(changelist, {"progress__gt": "mye"}, follow=True),
        "too short a password": client.post(
            reverse("admin:password_change"),
            {"old_password": "passord-for-test", "new_password1": "kort", "new_password2": "kort"},
        ),
    }

    found = {
        name: english(page_texts(response.content.decode())) for name, response in pages.items()
    }

    assert found == dict.fromkeys(pages, [])
    assert "Passordet er for kort" in pages["too short a password"].content.decode()


def test_the_login_and_logged_out_pages_are_norwegian(leader):
    client = Client()
    login = client.get(reverse("admin:login"))
    client.force_login(leader)
    logged_out = client.post(reverse("admin:logout"))

    assert english(page_texts(login.content.decode())) == []
    assert logged_out.status_code == 200
    assert english(page_texts(logged_out.content.decode())) == []


@pytest.mark.parametrize(
    ("english_text", "norwegian"),
    [
        ("Start typing to filter…", "Skriv for å filtrere …"),
        ("- Select an option -", "– Velg –"),
        ("Run", "Utfør"),
        ("Show counts", "Vis antall"),
        ("Hide counts", "Skjul antall"),
    ],
)
def test_django_strings_its_own_catalogue_lacks_are_translated(english_text, norwegian):
    """locale/nb/ fills the gaps of Django's own Norwegian catalogue."""
    with translation.override("nb"):
        assert translation.gettext(english_text) == norwegian


def test_the_javascript_catalogue_has_the_calendar_in_norwegian(client_for):
    response = client_for("leader").get(reverse("admin:jsi18n"))

    content = response.content.decode()
    assert response.status_code == 200
    for norwegian in ("Søndag", "I dag (%(date)s)", "Merk: Oppgi klokkeslett", "Utfør-knappen"):
        assert json.dumps(norwegian)[1:-1] in content, norwegian
