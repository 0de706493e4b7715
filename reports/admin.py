from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from drivkraft.core.admin.base import RulesHistoryAdmin
from reports.models import Report, ReportState


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
    # What a reader of the record needs; the rendering task's own bookkeeping (its progress, the
    # frozen snapshot) stays out, and the error only shows on a report that failed.
    fields = [
        "title",
        "scope",
        "focus_area",
        "municipality",
        "period_start",
        "period_end",
        "state",
        "requested_by",
        "requested_at",
        "issued_at",
        "issued_by_name",
        "pdf_link",
        "page_count",
        "size_bytes",
        "sha256",
    ]
    readonly_fields = ["requested_at", "pdf_link"]

    def get_fields(self, request: HttpRequest, obj: Report | None = None) -> Any:
        if obj is not None and obj.state == ReportState.FAILED:
            return [*self.fields, "error"]
        return self.fields

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: Report) -> SafeString | str:
        """Through the download view, which checks the permission: the files under MEDIA_ROOT
        are never served as they are (docs/deploy.md)."""
        if obj.state != ReportState.ISSUED:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("reports:download", args=[obj.pk]),
            _("Last ned rapporten"),
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
