"""What every admin class of the project shares: rule-based permissions and recorded history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin


class RulesHistoryAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Permissions from the role rules (per object), history per object."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        opts = self.opts
        return bool(request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}"))


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
