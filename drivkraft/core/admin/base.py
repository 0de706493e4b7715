"""What every admin class of the project shares: rule-based permissions and recorded history."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers, widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields import BLANK_CHOICE_DASH
from django.http import Http404, HttpRequest, HttpResponse
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

MAX_SEARCH_LENGTH = 200
# Every number of up to 18 digits fits a 64-bit key.
MAX_KEY_DIGITS = 18


def _is_too_long_a_number(value: object) -> bool:
    digits = str(value).strip().lstrip("+-").lstrip("0")
    return digits.isdigit() and len(digits) > MAX_KEY_DIGITS


def _could_be_key(field: Any, value: object) -> bool:
    if _is_too_long_a_number(value):
        return False
    try:
        field.to_python(value)
    except (ValidationError, ValueError):
        return False
    return True


class KeysField(forms.ModelMultipleChoiceField[models.Model]):
    """Refuses a number too large for any key as «not a valid value», as Django refuses text:
    Django looks such a number up with `pk__in`, and SQLite answers that with an OverflowError."""

    def _check_values(self, value: Any) -> Any:
        for key in value:
            if _is_too_long_a_number(key):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        # django-stubs leaves out this private method of Django's.
        return super()._check_values(value)  # type: ignore[misc]


class _KnownKeysOnly(widgets.AutocompleteMixin):
    """Django's autocomplete widgets look the submitted values up to show them again, and a
    value that cannot be a key («abc», or 30 digits) turns a refused form into a server error.
    Such a value is left out: the form shows its error and an empty choice."""

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        target = self.field.target_field
        known = [v for v in value if _could_be_key(target, v)]
        return super().optgroups(name, known, attr)


class AutocompleteSelect(_KnownKeysOnly, widgets.AutocompleteSelect):
    """The empty choice reads «---------», as in the admin's other lists: HTML allows no option
    without text, and without JavaScript it is what the list shows (Select2 shows its own
    placeholder over it)."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        if value == "" and label == "":
            label = BLANK_CHOICE_DASH[0][1]
        return super().create_option(name, value, label, selected, index, subindex, attrs)


class AutocompleteSelectMultiple(_KnownKeysOnly, widgets.AutocompleteSelectMultiple):
    pass


# A regular expression from the address bar runs in the database: on SQLite in Python's `re`,
# where a pattern such as ^(?:.|.){0,20}\x00 backtracks for minutes, and a broken one is an
# OperationalError (read as an outage). No list of ours needs them.
REFUSED_LOOKUPS = frozenset({"regex", "iregex"})


class RefusesRegexLookups:
    """Refuses `__regex` and `__iregex` in a changelist's filters: Django answers such a request
    with 400 (DisallowedModelAdminLookup). The admin site gives every model admin this, its own
    and those of other apps (`drivkraft.core.admin_site.DrivkraftAdminSite.register`)."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if REFUSED_LOOKUPS.intersection(lookup.split(LOOKUP_SEP)):
            return False
        allowed: bool = super().lookup_allowed(lookup, value, request)  # type: ignore[misc]
        return allowed


class RulesHistoryAdmin[M: models.Model](
    RefusesRegexLookups, ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin[M]
):
    """Permissions from the role rules (per object), history per object."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeysField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # SQLite refuses a LIKE pattern over 50 000 bytes (a server error); nobody searches for
        # more than a title's length.
        return super().get_search_results(request, queryset, search_term[:MAX_SEARCH_LENGTH])

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            # The date hierarchy turns a year past 9998 (ValueError) or past a C int
            # (OverflowError) into a server error; answer it as Django answers any other
            # impossible filter: the list again with «?e=1».
            if self.date_hierarchy and f"{self.date_hierarchy}__year" in request.GET:
                raise IncorrectLookupParameters(error) from error
            raise

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        opts = self.opts
        return bool(request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}"))

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        # A page with nothing to change offers nothing to save: Django offers «Lagre» whenever the
        # role may change the object, even when every field is read-only for it.
        form = context["adminform"].form
        editable_inline = any(
            inline.has_add_permission
            or inline.has_change_permission
            or inline.has_delete_permission
            for inline in context["inline_admin_formsets"]
        )
        if not editable_inline and all(field.is_hidden for field in form):
            context |= {
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def render_history_view(
        self, request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        # An old version is shown, never saved (SIMPLE_HISTORY_REVERT_DISABLED; the POST is
        # refused in history_form_view): every field as text, not as an input nobody can save.
        admin_form = context.get("adminform")
        if admin_form is not None:
            fieldsets = admin_form.fieldsets
            context["adminform"] = helpers.AdminForm(
                admin_form.form,
                fieldsets,
                {},
                readonly_fields=flatten_fieldsets(fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)

    # A form saved without a change writes nothing: no save (which would record an empty
    # history row and renew the content revision, emptying every cached page), no admin log entry.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if not message:  # nothing changed
            return None
        return super().log_change(request, obj, message)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Reverting would write around the services, the rules and the version check: history
        # is for reading. Changes are made again through the ordinary forms.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self._require_key(object_id, self.opts.pk)
        self._require_key(version_id, get_history_model_for_model(self.model)._meta.pk)
        # django-simple-history builds this page with the class's `prepopulated_fields`, not with
        # what `get_prepopulated_fields` allows this user: a field that is read-only for them (a
        # measure owner's slug) is not in the form, and the page was a KeyError (500). The page
        # is built by a copy of this admin that prepopulates only fields its form holds.
        record = (
            get_history_model_for_model(self.model)
            ._default_manager.filter(
                **{self.opts.pk.attname: unquote(object_id), "history_id": unquote(version_id)}
            )
            .first()
        )
        if record is None:
            raise Http404
        view = copy.copy(self)
        # An attribute of this copy only: the class and the registered admin keep theirs.
        instance = record.instance  # type: ignore[attr-defined]  # every historical record has one
        view.prepopulated_fields = self._prepopulated_in_form(request, instance)  # type: ignore[misc]
        return super(RulesHistoryAdmin, view).history_form_view(
            request, object_id, version_id, extra_context
        )

    def _prepopulated_in_form(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        in_form = self.get_form(request, obj).base_fields
        return {
            name: dependencies
            for name, dependencies in self.get_prepopulated_fields(request, obj).items()
            if name in in_form and all(field in in_form for field in dependencies)
        }

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._require_key(object_id, self.opts.pk)
        if not hasattr(self.opts, "simple_history_manager_attribute"):
            # A model that records no history of its own (an issued report never changes):
            # Django's page, not django-simple-history's server error.
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    @staticmethod
    def _require_key(value: str, field: Any) -> None:
        """django-simple-history looks IDs up as they come in the URL («abc» is a ValueError,
        a server error); an ID that cannot be a key is simply not found."""
        try:
            field.to_python(unquote(value))
        except (ValidationError, ValueError) as error:
            raise Http404 from error

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # An action this user is not offered is forbidden (403), not silently ignored.
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in self.get_actions(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


class RulesTabularInline[C: models.Model, P: models.Model](admin.TabularInline[C, P]):
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
