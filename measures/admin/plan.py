"""Admin of the plan's frame: programmes, sub-goals, focus areas and goals (Prosjektleder only)."""

from __future__ import annotations

from django.contrib import admin

from drivkraft.core.admin.base import RulesHistoryAdmin, RulesTabularInline
from measures.models import FocusArea, Goal, Programme, SubGoal


class SubGoalInline(RulesTabularInline[SubGoal, Programme]):
    model = SubGoal
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(RulesHistoryAdmin[Programme]):
    list_display = ["name", "start", "end", "is_current"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [SubGoalInline]


@admin.register(SubGoal)
class SubGoalAdmin(RulesHistoryAdmin[SubGoal]):
    list_display = ["number", "title", "programme", "status"]
    list_filter = ["programme", "status"]


class GoalInline(RulesTabularInline[Goal, FocusArea]):
    model = Goal
    extra = 0


@admin.register(FocusArea)
class FocusAreaAdmin(RulesHistoryAdmin[FocusArea]):
    list_display = ["name", "programme", "order"]
    list_filter = ["programme"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(RulesHistoryAdmin[Goal]):
    list_display = ["title", "focus_area", "order"]
    list_filter = ["focus_area"]
    list_select_related = ["focus_area"]
    search_fields = ["title"]
