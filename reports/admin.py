from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from drivkraft.core.admin.base import RulesHistoryAdmin
from reports.models import Report


@admin.register(Report)
class ReportAdmin(RulesHistoryAdmin[Report]):
    """Read-only: reports are made on /rapporter/ny/ and never changed afterwards."""

    list_display = [
        "title",
        "scope",
        "period_start",
        "period_end",
        "state",
        "issued_at",
        "page_count",
    ]
    list_filter = ["state", "scope"]
    exclude = ["snapshot"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
