"""Admin of measures: editing with conflict detection, publishing, archiving and status updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from drivkraft.core.admin.base import RulesHistoryAdmin
from measures.admin.forms import (
    ImportUploadForm,
    MeasureAdminForm,
    StatusUpdateForm,
    conflict_messages,
)
from measures.forms import status_form_save, takes_status_updates
from measures.importing import COLUMNS, read_table, validate_rows
from measures.models import Measure, StatusUpdate, measure_is_stale, stale_age_text
from measures.services import (
    MeasureConflictError,
    measure_archive,
    measure_import,
    measure_save,
    measure_set_published,
)
from measures.status import STATUS_INFO, STATUSES, Status

if TYPE_CHECKING:
    # The type of ModelAdmin.fieldsets (django-stubs names it, Django does not).
    from django.contrib.admin.options import _FieldsetSpec


class StatusUpdateInline(admin.TabularInline[StatusUpdate, Measure]):
    model = StatusUpdate
    extra = 0
    fields = ("date", "previous_status", "status", "progress", "comment", "author_name")
    readonly_fields = fields
    can_delete = False
    ordering = ("-date", "-created_at")
    template = "admin/measures/measure/status_updates.html"  # a record, shown as a plain table

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # new updates go through «Oppdater status» and the status service

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ArchivedFilter(admin.SimpleListFilter):
    title = gettext_lazy("arkivert")
    parameter_name = "arkivert"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("nei", _("Aktive")), ("ja", _("Arkiverte"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Measure]) -> QuerySet[Measure]:
        if self.value() == "ja":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "nei":
            return queryset.filter(archived_at__isnull=True)
        return queryset


# The version the form was opened at (expected_version) travels as a hidden input of its own
# (change_form.html) and the stored version is for the services, not for people to read: neither
# is a field here.
PLAN_FIELDSETS: _FieldsetSpec = [
    (None, {"fields": ["title", "slug", "focus_area", "goal", "summary"]}),
    (gettext_lazy("Innhold"), {"fields": ["description", "strategy", "expected_result"]}),
    (
        gettext_lazy("Datoer"),
        {"fields": ["planned_start", "planned_end", "forecast_end"]},
    ),
    (
        gettext_lazy("Hvem og hvor"),
        {"fields": ["responsible", "co_owners", "municipalities", "partners", "related"]},
    ),
    (
        gettext_lazy("Status og publisering"),
        {
            "fields": [
                "status",
                "progress",
                "last_status_update_at",
                "is_published",
                "archived_at",
            ]
        },
    ),
]


@admin.register(Measure)
class MeasureAdmin(RulesHistoryAdmin[Measure]):
    form = MeasureAdminForm
    fieldsets = PLAN_FIELDSETS
    list_display = [
        "title",
        "focus_area",
        "status_display",
        "progress_display",
        "responsible",
        "is_published",
        "last_update",
    ]
    list_filter = [ArchivedFilter, "is_published", "status", "focus_area", "municipalities"]
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
    inlines = [StatusUpdateInline]
    actions = ["publish", "unpublish", "archive"]
    change_form_template = "admin/measures/measure/change_form.html"
    change_list_template = "admin/measures/measure/change_list.html"
    delete_confirmation_template = "admin/measures/measure/archive_confirmation.html"
    delete_selected_confirmation_template = "admin/measures/measure/archive_confirmation.html"

    # --- what each role may edit -----------------------------------------------------------
    ALWAYS_READONLY = ("status", "progress", "last_status_update_at", "archived_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if not request.user.has_perm("measures.edit_plan_measure"):
            # A measure owner reports through «Oppdater status»; the plan itself is read-only.
            return [name for _, opts in PLAN_FIELDSETS for name in opts["fields"]]
        readonly = list(self.ALWAYS_READONLY)
        if not request.user.has_perm("measures.publish_measure"):
            readonly.append("is_published")
        return readonly

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        if not request.user.has_perm("measures.edit_plan_measure"):
            return {}
        return dict(self.prepopulated_fields)

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # «archive» replaces deleting
        if not request.user.has_perm("measures.publish_measure"):
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        if not request.user.has_perm("measures.delete_measure"):
            actions.pop("archive", None)
        return actions

    def view_on_site(self, obj: Measure) -> str | None:
        """The public page, where there is one: a draft or an archived measure has none."""
        if obj.is_published and obj.archived_at is None:
            return obj.get_absolute_url()
        return None

    # --- list columns ------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_display(self, obj: Measure) -> str:
        info = STATUS_INFO[Status(obj.status)]
        return f"{info.symbol} {info.label}"

    @admin.display(description=gettext_lazy("framdrift"), ordering="progress")
    def progress_display(self, obj: Measure) -> str:
        return f"{obj.progress}\u00a0%"

    @admin.display(description=gettext_lazy("sist oppdatert"), ordering="last_status_update_at")
    def last_update(self, obj: Measure) -> str:
        # The date alone, short enough for the list to fit the page beside its filters.
        if obj.last_status_update_at is None:
            return "–"
        return date_format(timezone.localtime(obj.last_status_update_at), "SHORT_DATE_FORMAT")

    def get_list_display(self, request: HttpRequest) -> Any:
        @admin.display(description=_("oppdater"))
        def status_link(obj: Measure) -> str:
            if not request.user.has_perm("measures.update_status_measure", obj):
                return ""
            url = reverse("admin:measures_measure_status", args=[obj.pk])
            return format_html('<a href="{}">{}</a>', url, _("Oppdater status"))

        return [*super().get_list_display(request), status_link]

    # --- saving through the services ---------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Measure, form: Any, change: bool) -> None:
        if change and not form.has_changed():
            return  # nothing to record: no new version, no empty history row
        relations = {field.name for field in Measure._meta.many_to_many}
        measure_save(
            measure=obj,
            expected_version=form.cleaned_data.get("expected_version") if change else None,
            user=request.user,
            relations_changed=bool(relations & set(form.changed_data)),
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except MeasureConflictError as error:
            # Someone saved between our check and our save: nothing of ours was written.
            self.message_user(request, error.messages[0], messages.ERROR)
            for line in conflict_messages(error.changes):
                self.message_user(request, line, messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request: HttpRequest, obj: Measure) -> None:
        measure_archive(measures=[obj], user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        measure_archive(measures=list(queryset), user=request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # Archiving keeps the timeline: nothing but the measures themselves is affected.
        return [str(obj) for obj in objs], {}, set(), []

    @admin.action(description=gettext_lazy("Publiser valgte tiltak"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        self._require(request, "measures.publish_measure")
        count = measure_set_published(measures=list(queryset), published=True, user=request.user)
        message = ngettext("%(count)s tiltak publisert.", "%(count)s tiltak publisert.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=gettext_lazy("Gjør valgte tiltak til utkast (avpubliser)"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        self._require(request, "measures.publish_measure")
        count = measure_set_published(measures=list(queryset), published=False, user=request.user)
        message = ngettext("%(count)s tiltak avpublisert.", "%(count)s tiltak avpublisert.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=gettext_lazy("Arkiver valgte tiltak"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Measure]) -> None:
        self._require(request, "measures.delete_measure")
        count = measure_archive(measures=list(queryset), user=request.user)
        message = ngettext("%(count)s tiltak arkivert.", "%(count)s tiltak arkivert.", count)
        self.message_user(request, message % {"count": count})

    @staticmethod
    def _require(request: HttpRequest, perm: str) -> None:
        if not request.user.has_perm(perm):
            raise PermissionDenied

    # --- «Oppdater status» ------------------------------------------------------------------
    def get_urls(self) -> list[URLPattern]:
        urls: list[URLPattern] = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="measures_measure_import",
            ),
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.status_view),
                name="measures_measure_status",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return import_view(self, request)

    def status_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        # get_object() refuses an ID that is no number («abc») quietly, as the admin's own views do.
        measure = self.get_object(request, object_id)
        if measure is None:
            raise Http404
        if not request.user.has_perm("measures.update_status_measure", measure):
            raise PermissionDenied
        form = StatusUpdateForm(measure=measure)
        if request.method == "POST":
            saved = status_form_save(
                measure=measure,
                data=request.POST,
                author=request.user,
                form_class=StatusUpdateForm,
            )
            measure, form = saved.measure, saved.form
            if saved.update is not None:
                shown = measure.is_published and measure.archived_at is None
                message = (
                    _("Statusen for «%(title)s» er oppdatert og vises nå på nettstedet.")
                    if shown
                    else _(
                        "Statusen for «%(title)s» er oppdatert. Tiltaket er et utkast og vises "
                        "ikke på nettstedet før det er publisert."
                    )
                )
                self.message_user(request, message % {"title": measure.title}, messages.SUCCESS)
                # Back to the measure, whose timeline now starts with this update.
                return HttpResponseRedirect(
                    reverse("admin:measures_measure_change", args=[measure.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Oppdater status: %(title)s") % {"title": measure.title},
            "measure": measure,
            "form": form,
            "can_change": takes_status_updates(measure),
            "updates": measure.status_updates.order_by("-date", "-created_at")[:10],
            "is_stale": measure_is_stale(measure, today=timezone.localdate()),
            "stale_age": (
                stale_age_text(measure.last_status_update_at, timezone.localdate())
                if measure.last_status_update_at
                else None
            ),
            "statuses": STATUSES,
        }
        return TemplateResponse(request, "admin/measures/measure/status_form.html", context)


IMPORT_SALT = "measures.import"


def import_view(model_admin: MeasureAdmin, request: HttpRequest) -> HttpResponse:
    """Upload → check every row (nothing written) → preview → confirm → one transaction."""
    if not request.user.has_perm("measures.import_measure"):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Importer tiltak fra fil"),
        "form": form,
        "columns": COLUMNS,
    }
    if request.method == "POST" and "_confirm" in request.POST:
        try:
            payload = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            context["file_error"] = _(
                "Forhåndsvisningen er utløpt eller ugyldig. Last opp filen på nytt."
            )
            return TemplateResponse(request, "admin/measures/measure/import.html", context)
        result = validate_rows(payload["rows"])  # the plan may have changed since the preview
        if result.ok:
            created, updated = measure_import(rows=result.rows, user=request.user)
            model_admin.message_user(
                request,
                _(
                    "Importert fra «%(name)s»: %(created)s nye tiltak (som utkast) "
                    "og %(updated)s oppdaterte."
                )
                % {"name": payload["filename"], "created": created, "updated": updated},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:measures_measure_changelist"))
        context |= {"result": result, "filename": payload["filename"]}
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload, upload.name)
        except ValidationError as error:
            context["file_error"] = " ".join(error.messages)
        else:
            result = validate_rows(rows)
            context |= {"result": result, "filename": upload.name}
            if result.ok:
                context["payload"] = signing.dumps(
                    {"rows": rows, "filename": upload.name}, salt=IMPORT_SALT, compress=True
                )
    return TemplateResponse(request, "admin/measures/measure/import.html", context)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(RulesHistoryAdmin[StatusUpdate]):
    list_display = ["measure", "date", "previous_status", "status", "progress", "author_name"]
    list_filter = ["status", "measure__focus_area"]
    list_select_related = ["measure"]
    search_fields = ["measure__title", "comment"]
    date_hierarchy = "date"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # through «Oppdater status» on the measure, so the rules of the service hold

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the timeline is a record: an update is never edited afterwards

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
