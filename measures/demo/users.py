"""Demo logins, one per role – created only when DEBUG is on, never in production.

Passwords are random per machine and written to `demo-brukere.txt` in the project folder (ignored
by git), where `make run` tells the newcomer to find them. Each is marked as a demo account
(`drivkraft.core.accounts`), which no login and no session accepts when DEBUG is off.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from drivkraft.core.accounts import mark_demo_account
from measures.demo.data import PROJECT_LEADER
from teams.models import Person
from teams.roles import MEASURE_OWNER, STEERING_GROUP
from teams.roles import PROJECT_LEADER as LEADER_ROLE

MEASURE_OWNER_PERSON = "Kari Nordmann"  # responsible for four demo measures, co-owner of more
STEERING_GROUP_PERSON = "Ordfører i Harstad (demo)"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    person: str
    first_name: str
    last_name: str


DEMO_USERS = (
    DemoUser("leder", LEADER_ROLE, PROJECT_LEADER, "Sigrid", "Berg"),
    DemoUser("ansvarlig", MEASURE_OWNER, MEASURE_OWNER_PERSON, "Kari", "Nordmann"),
    DemoUser("styret", STEERING_GROUP, STEERING_GROUP_PERSON, "Ordfører", "Harstad"),
)


def password_file() -> Path:
    return Path(settings.BASE_DIR) / "demo-brukere.txt"


def _read_passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    passwords = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#"):
            passwords[parts[0]] = parts[1]
    return passwords


def create_demo_users() -> list[DemoUser]:
    """Create (or keep) the three demo users. Does nothing at all when DEBUG is off."""
    if not settings.DEBUG:
        return []
    user_model = get_user_model()
    path = password_file()
    known = _read_passwords(path)
    lines = ["# Demobrukere for Drivkraft (bare for utvikling; DEBUG er på). Logg inn: /logg-inn/."]
    for spec in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=spec.username,
            defaults={"first_name": spec.first_name, "last_name": spec.last_name},
        )
        password = known.get(spec.username)
        if created or password is None or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=spec.role)])
        mark_demo_account(user)
        person = Person.objects.filter(name=spec.person).first()
        if person is not None and person.user_id != user.pk:
            person.user = user
            person.save()
        lines.append(f"{spec.username}  {password}  ({spec.role})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return list(DEMO_USERS)
