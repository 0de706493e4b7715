"""The public content's revision: renewed by every change to what the public pages show.

It lives in the database, so a change saved through one app server is seen at once by all others.
The bump happens inside the writing transaction: other connections see the new revision exactly
when they see the new data.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

from drivkraft.core.models import ContentRevision

# Sent each time the revision is renewed, inside the writing transaction. An app that keeps
# something made from the public content (the reports' current-status PDF) listens, and does its
# work once the transaction has committed; the infrastructure knows none of them.
content_revised = Signal()


def content_changed() -> None:
    """Renew the revision. Writes that send no signals (`update()`, `bulk_create()`) call this."""
    updated = ContentRevision.objects.filter(pk=1).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentRevision.objects.get_or_create(pk=1)
    content_revised.send(sender=ContentRevision)


def current_revision() -> ContentRevision:
    """The revision, read with one plain statement: every public request asks for it, and the
    ORM's own overhead here is larger than the rest of serving a cached page."""
    table = connection.ops.quote_name(ContentRevision._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, changed_at FROM {table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        revision, _created = ContentRevision.objects.get_or_create(pk=1)
        return revision
    number, changed_at = row
    changed_at = ContentRevision._meta.get_field("changed_at").to_python(changed_at)
    for converter in connection.ops.get_db_converters(
        ContentRevision._meta.get_field("changed_at").get_col(ContentRevision._meta.db_table)
    ):
        changed_at = converter(changed_at, None, connection)
    return ContentRevision(pk=1, number=number, changed_at=changed_at)


def _on_change(sender: type, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    content_changed()


def _on_m2m_change(sender: type, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        content_changed()


def connect_signals(models: list[type[Model]]) -> None:
    for model in models:
        uid = f"{model._meta.label}-revision"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"save-{uid}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"delete-{uid}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_on_m2m_change, sender=through, dispatch_uid=f"m2m-{through}")
