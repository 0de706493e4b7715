"""Filters in the admin's address bar: no regular expressions, for any role or any list.

A `__regex` filter runs the pattern in the database; on SQLite that is Python's `re`, where a
backtracking pattern held a core for nearly a minute and a broken one answered the «database
unavailable» page. Django answers a refused lookup with 400.
"""

from __future__ import annotations

import time

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.admin_area.conftest import assert_refused, make_staff_user
from tests.measures.factories import MeasureFactory

pytestmark = pytest.mark.django_db

BACKTRACKING = "^(?:.|.){0,20}\x00"
REGEX_FILTERS = [
    {"summary__regex": BACKTRACKING},
    {"title__regex": "("},  # not a valid pattern
    {"title__iregex": "^l"},
    {"focus_area__name__regex": "("},  # across a relation
]


@pytest.mark.parametrize("query", REGEX_FILTERS, ids=lambda q: next(iter(q)))
def test_a_regex_filter_on_the_measure_list_is_refused(client_for, query):
    MeasureFactory(summary="a" * 40)  # something for the pattern to backtrack on
    started = time.monotonic()

    response = client_for("leader").get("/admin/measures/measure/", query)

    assert response.status_code == 400
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("role", ["owner", "steering"])
@pytest.mark.parametrize("query", REGEX_FILTERS, ids=lambda q: next(iter(q)))
def test_the_other_roles_never_reach_a_list_to_filter(client_for, role, query):
    MeasureFactory(summary="a" * 40)

    response = client_for(role).get("/admin/measures/measure/", query)

    assert_refused(response, role)


def test_an_ordinary_filter_still_works(client_for):
    MeasureFactory(title="Lærlingløftet")

    response = client_for("leader").get("/admin/measures/measure/", {"title__icontains": "lærling"})

    assert response.status_code == 200
    assert "Lærlingløftet" in response.text


def test_every_model_admin_on_the_site_refuses_regex_lookups(leader):
    """Ours, and those other apps register (users, django-axes, the task results)."""
    request = RequestFactory().get("/admin/")
    request.user = leader
    registry = admin.site._registry
    assert len(registry) > 15

    refused = {
        model._meta.label: (
            model_admin.lookup_allowed("pk__regex", "(", request),
            model_admin.lookup_allowed("pk__iregex", "(", request),
        )
        for model, model_admin in registry.items()
    }

    assert refused == dict.fromkeys(refused, (False, False))
    for model_admin in registry.values():
        assert model_admin.lookup_allowed("pk__exact", "1", request)


def test_a_superuser_is_refused_on_another_apps_list_too(client):
    user = make_staff_user("sjef", is_superuser=True)
    client.force_login(user)

    response = client.get("/admin/auth/user/", {"username__regex": "("})

    assert response.status_code == 400
