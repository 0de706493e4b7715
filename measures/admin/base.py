"""What every admin class of the project shares: rule-based permissions and recorded history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin


class RulesHistoryAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Permissions from the role rules (per object), history per object."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        opts = self.opts
        return bool(request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}"))

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Reverting would write around the services, the rules and the version check: history
        # is for reading. Changes are made again through the ordinary forms.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # An action this user is not offered is forbidden (403), not silently ignored.
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in self.get_actions(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


class RulesTabularInline(admin.TabularInline):
    """An inline whose permissions come from the role rules, asked about the parent object."""

    def _perm(self, request: HttpRequest, action: str, obj: Any) -> bool:
        opts = self.opts
        return bool(request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._perm(request, "view", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._perm(request, "add", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._perm(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._perm(request, "delete", obj)
