from __future__ import annotations

from django.contrib import admin

from drivkraft.core.admin.base import RulesHistoryAdmin, RulesTabularInline
from teams.models import Body, Membership, Municipality, Organisation, Person


@admin.register(Municipality)
class MunicipalityAdmin(RulesHistoryAdmin[Municipality]):
    list_display = ["name", "number", "sami_name", "region", "joined"]
    list_filter = ["region"]
    search_fields = ["name", "sami_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(RulesHistoryAdmin[Organisation]):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(RulesTabularInline[Membership, Body]):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(RulesHistoryAdmin[Body]):
    list_display = ["name", "kind", "order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(RulesHistoryAdmin[Person]):
    list_display = ["name", "title", "organisation", "municipality", "user"]
    list_filter = ["municipality", "organisation"]
    search_fields = ["name", "title", "email"]
    list_select_related = ["organisation", "municipality", "user"]
    # The login is a plain list: Django's autocomplete asks for the right to view the logins
    # themselves, which no role has (the user admin is no part of the back office), so its
    # search answered the project leader 403 and a person could not be linked to a login.
    autocomplete_fields = ["organisation", "municipality"]


@admin.register(Membership)
class MembershipAdmin(RulesHistoryAdmin[Membership]):
    list_display = ["person", "body", "role", "start", "end"]
    list_filter = ["body"]
    list_select_related = ["person", "body"]
    search_fields = ["person__name", "role"]
    autocomplete_fields = ["person"]
