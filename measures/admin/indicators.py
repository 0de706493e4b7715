"""Admin of indicators and their values; a measure's owner registers its values."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from drivkraft.core.admin.base import RulesHistoryAdmin, RulesTabularInline
from measures.models import Indicator, IndicatorValue


class IndicatorValueInline(RulesTabularInline[IndicatorValue, Indicator]):
    model = IndicatorValue
    extra = 1
    fields = ["date", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(RulesHistoryAdmin[Indicator]):
    list_display = ["name", "measure", "focus_area", "unit", "baseline", "target", "target_date"]
    list_select_related = ["measure", "focus_area"]
    search_fields = ["name", "measure__title"]
    autocomplete_fields = ["measure", "focus_area"]
    inlines = [IndicatorValueInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An owner registers values; the indicator itself is part of the plan.
        if request.user.has_perm("measures.add_indicator"):
            return ()
        return [f.name for f in Indicator._meta.fields if f.name != "id"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(RulesHistoryAdmin[IndicatorValue]):
    list_display = ["indicator", "date", "value", "note"]
    list_select_related = ["indicator"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Moving a value to another indicator is the plan managers' business.
        if obj is not None and not request.user.has_perm("measures.add_indicator"):
            return ["indicator"]
        return ()

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Here the indicator is chosen freely, so only the plan's managers add values; an owner
        # adds values on their own indicator's page, where the rules see which indicator it is.
        return bool(request.user.has_perm("measures.add_indicator"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[IndicatorValue]:
        return super().get_queryset(request).select_related("indicator__measure")
