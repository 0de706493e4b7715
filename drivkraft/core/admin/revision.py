from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from drivkraft.core.admin.base import RefusesRegexLookups
from drivkraft.core.models import ContentRevision


@admin.register(ContentRevision)
class ContentRevisionAdmin(RefusesRegexLookups, admin.ModelAdmin[ContentRevision]):
    """Read-only: shows when the public content last changed."""

    list_display = ["number", "changed_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("core.view_contentrevision"))
