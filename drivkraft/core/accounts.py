"""Logins: Django's model backend, except that a demo account never works with DEBUG off.

`make run` (DEBUG on) makes three demo logins whose passwords sit in a text file in the project
folder. Should that database ever be served with DEBUG off, those accounts must be dead: they are
marked by the group `DEMO_GROUP`, and this backend refuses them, both at login and for every
request of a session opened earlier (Django asks the backend again on each request). The mark
is read in the same query that loads the user, so it costs nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

DEMO_GROUP = "Demobrukere"


def _demo_membership() -> Exists:
    through: Any = get_user_model().groups.through
    return Exists(through.objects.filter(user_id=OuterRef("pk"), group__name=DEMO_GROUP))


def is_demo_account(user: Any) -> bool:
    flag = getattr(user, "is_demo_account", None)
    if flag is None:
        flag = user.pk is not None and user.groups.filter(name=DEMO_GROUP).exists()
    return bool(flag)


def mark_demo_account(user: Any) -> None:
    user.groups.add(Group.objects.get_or_create(name=DEMO_GROUP)[0])


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if not settings.DEBUG and is_demo_account(user):
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.annotate(is_demo_account=_demo_membership())
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
