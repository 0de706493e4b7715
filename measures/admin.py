from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from measures.models import (
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    Programme,
    StatusUpdate,
    SubGoal,
)

admin.site.site_header = _("Drivkraft – administrasjon")
admin.site.site_title = _("Drivkraft")
admin.site.index_title = _("Oppdater programmet og tiltakene")


class SubGoalInline(admin.TabularInline):
    model = SubGoal
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "is_current"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [SubGoalInline]


@admin.register(SubGoal)
class SubGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "status"]
    list_filter = ["programme", "status"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "order"]
    list_filter = ["programme"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "focus_area", "order"]
    list_filter = ["focus_area"]
    list_select_related = ["focus_area"]
    search_fields = ["title"]


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    extra = 0
    fields = ("date", "previous_status", "status", "progress", "comment", "author_name")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # New status updates go through the status service, never through this inline.
        return False


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "focus_area",
        "status",
        "progress",
        "responsible",
        "is_published",
        "last_status_update_at",
    ]
    list_filter = ["is_published", "status", "focus_area", "municipalities"]
    list_select_related = ["focus_area", "responsible"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "goal",
        "responsible",
        "co_owners",
        "municipalities",
        "partners",
        "related",
    ]
    readonly_fields = [
        "status",
        "progress",
        "version",
        "last_status_update_at",
        "created_at",
        "updated_at",
    ]
    inlines = [StatusUpdateInline]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    list_display = ["measure", "date", "previous_status", "status", "progress", "author_name"]
    list_filter = ["status", "measure__focus_area"]
    list_select_related = ["measure"]
    search_fields = ["measure__title", "comment"]
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The timeline is a record: an update is never edited after the fact.
        return False


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "measure", "focus_area", "unit", "baseline", "target", "target_date"]
    list_select_related = ["measure", "focus_area"]
    search_fields = ["name"]
    autocomplete_fields = ["measure", "focus_area"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "date", "value", "note"]
    list_select_related = ["indicator"]
    date_hierarchy = "date"
