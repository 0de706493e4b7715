"""The roles' groups, and the demo logins `load_demo` creates only when DEBUG is on."""

from __future__ import annotations

import stat
from dataclasses import fields
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from drivkraft.core.accounts import DEMO_GROUP, AccountBackend
from measures.demo.loader import DemoSummary
from measures.demo.users import create_demo_users
from measures.management.commands import load_demo as load_demo_command
from measures.models import Measure
from teams.roles import MEASURE_OWNER, PROJECT_LEADER, STEERING_GROUP
from tests.admin_area.conftest import is_workspace_redirect
from tests.admin_area.test_login import log_in

pytestmark = pytest.mark.django_db

DEMO_USERS = {"leder": PROJECT_LEADER, "ansvarlig": MEASURE_OWNER, "styret": STEERING_GROUP}
PROJECT_FILE = Path(__file__).resolve().parents[2] / "demo-brukere.txt"


def test_the_three_groups_exist_after_the_migrations():
    groups = Group.objects.filter(name__in=["Prosjektleder", "Tiltaksansvarlig", "Styringsgruppe"])

    assert sorted(g.name for g in groups) == ["Prosjektleder", "Styringsgruppe", "Tiltaksansvarlig"]
    # Every permission is a rule (measures/rules.py), not a model permission on the group.
    assert all(group.permissions.count() == 0 for group in groups)


def _project_file_state() -> tuple[float, int] | None:
    if not PROJECT_FILE.exists():
        return None
    info = PROJECT_FILE.stat()
    return (info.st_mtime, info.st_size)


def read_passwords(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split()[0]: line.split()[1] for line in lines if line and not line.startswith("#")}


def test_load_demo_with_debug_creates_the_demo_users(settings, tmp_path):
    """One load (it takes seconds) for everything a newcomer meets after `make run`."""
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    project_file = _project_file_state()
    out = StringIO()

    call_command("load_demo", stdout=out)

    users = get_user_model().objects.filter(username__in=DEMO_USERS)
    assert {u.username: sorted(g.name for g in u.groups.all()) for u in users} == {
        name: sorted([role, DEMO_GROUP]) for name, role in DEMO_USERS.items()
    }
    assert all(u.is_staff and u.is_active and not u.is_superuser for u in users)
    person = users.get(username="ansvarlig").person
    assert Measure.objects.public().filter(responsible=person).count() >= 3

    path = tmp_path / "demo-brukere.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    passwords = read_passwords(path)
    assert set(passwords) == set(DEMO_USERS)
    assert all(users.get(username=name).check_password(pw) for name, pw in passwords.items())
    assert str(path) in out.getvalue()
    assert _project_file_state() == project_file  # the real project folder is left alone

    # `ansvarlig` logs in with the password from the file and may update their measures only;
    # they do it on Min side, where the admin sends them.
    client = Client()
    assert log_in(client, "ansvarlig", passwords["ansvarlig"]).status_code == 302
    owner = users.get(username="ansvarlig")
    own = Measure.objects.public().filter(responsible=person).first()
    others = Measure.objects.exclude(responsible=person).exclude(co_owners=person).first()
    assert own is not None
    assert others is not None
    assert owner.has_perm("measures.update_status_measure", own)
    assert not owner.has_perm("measures.update_status_measure", others)
    response = client.get(reverse("admin:measures_measure_status", args=[own.pk]))
    assert is_workspace_redirect(response)
    # `leder` uses the admin.
    leader = Client()
    assert log_in(leader, "leder", passwords["leder"]).status_code == 302
    assert leader.get(reverse("admin:measures_measure_status", args=[own.pk])).status_code == 200

    # Running it again keeps the users and their passwords.
    create_demo_users()
    assert read_passwords(path) == passwords
    assert get_user_model().objects.filter(username__in=DEMO_USERS).count() == 3


@pytest.fixture
def no_demo_data(monkeypatch):
    """Skip loading the programme itself (slow, and tested in tests/measures)."""
    empty = DemoSummary(**{f.name: 0 for f in fields(DemoSummary)})
    monkeypatch.setattr(load_demo_command, "load_demo", lambda **kwargs: empty)


def test_load_demo_without_debug_creates_no_user(settings, tmp_path, no_demo_data):
    settings.DEBUG = False
    settings.BASE_DIR = tmp_path
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert not get_user_model().objects.exists()
    assert list(tmp_path.iterdir()) == []
    assert "Ingen demobrukere" in out.getvalue()


def test_the_demo_users_need_debug_even_when_called_directly(settings, tmp_path):
    settings.DEBUG = False
    settings.BASE_DIR = tmp_path

    assert create_demo_users() == []
    assert not get_user_model().objects.exists()
    assert list(tmp_path.iterdir()) == []


# --- The demo logins are dead whenever DEBUG is off ----------------------------------------------


@pytest.fixture
def demo_passwords(settings: Any, tmp_path: Path) -> dict[str, str]:
    """The demo users as `make run` makes them (DEBUG on), and their passwords."""
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    create_demo_users()
    return read_passwords(tmp_path / "demo-brukere.txt")


@pytest.mark.parametrize("username", list(DEMO_USERS))
def test_a_demo_user_cannot_log_in_with_debug_off(settings, demo_passwords, username):
    settings.DEBUG = False
    client = Client()

    response = log_in(client, username, demo_passwords[username])

    assert response.status_code == 200  # the login form again
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_demo_user_logs_in_with_debug_on(settings, demo_passwords):
    client = Client()

    assert log_in(client, "leder", demo_passwords["leder"]).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_session_opened_with_debug_on_dies_when_debug_is_off(settings, demo_passwords):
    client = Client()
    assert log_in(client, "styret", demo_passwords["styret"]).status_code == 302
    assert client.get("/rapporter/").status_code == 200

    settings.DEBUG = False

    response = client.get("/rapporter/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    assert client.get("/admin/").status_code == 302


def test_a_real_user_with_a_demo_name_is_not_affected(settings):
    settings.DEBUG = False
    user = get_user_model().objects.create_user("leder", password="et-langt-og-godt-passord-9")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=PROJECT_LEADER))
    client = Client()

    assert log_in(client, "leder", "et-langt-og-godt-passord-9").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_mark_is_read_with_the_user(settings, demo_passwords, django_assert_num_queries):
    settings.DEBUG = False
    demo = get_user_model().objects.get(username="leder")

    with django_assert_num_queries(1):
        assert AccountBackend().get_user(demo.pk) is None
