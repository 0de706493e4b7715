"""Min side: logging in and out, the work list of each role, and the owner's three tasks (the
status, the description, the indicator values), each saved through its service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drivkraft.core.htmx import HtmxHttpRequest, wants_fragment
from drivkraft.core.markdown import render_markdown
from measures.forms import (
    StatusUpdateForm,
    conflict_messages,
    status_form_save,
    takes_status_updates,
)
from measures.models import Indicator, Measure
from measures.selectors import (
    inconsistent_measures,
    measure_attention,
    my_measures,
    pending_decisions,
    programme_attention,
)
from measures.services import (
    MeasureConflictError,
    indicator_value_create,
    measure_description_update,
)
from measures.status import STATUSES
from participation.selectors import new_input_count
from reminders.selectors import reminders_paused
from reminders.services import reminder_preference_set
from reports.current import current_report_made_at, report_language
from reports.selectors import changes_since_last_report, issued_reports, latest_report_pair
from teams.roles import is_measure_owner_role
from workspace.forms import (
    DescriptionForm,
    IndicatorValueForm,
    LoginForm,
    StatusForm,
)

# How many issued reports Min side lists; the archive (/rapporter/) has them all.
REPORTS_ON_PAGE = 10
GET_OR_POST = require_http_methods(["GET", "HEAD", "POST"])


class PortalLoginView(LoginView):
    """/logg-inn/ in the public design. django-axes counts the failures (its backend refuses a
    locked pair before any password is checked); a `next` off this site is ignored."""

    template_name = "workspace/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login = PortalLoginView.as_view()


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """POST only, with the CSRF token, so no link or image elsewhere can log anyone out. Lands on
    the front page (the admin's own logout keeps its page)."""
    auth_logout(request)
    messages.info(request, _("Du er logget ut."))
    return redirect("measures:home")


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page for every role, each section shown to those it concerns: the measure owner's own
    measures, the steering group's reports, the project leader's whole programme."""
    user: Any = request.user
    today = timezone.localdate()
    # Own measures are listed for those who may update them (a steering group member who is
    # named responsible somewhere still only reads).
    may_update = user.has_perm("measures.add_statusupdate")
    own = my_measures(user=user, today=today) if may_update else []
    context: dict[str, Any] = {
        "own": own,
        "attention_count": sum(1 for row in own if row.needs_attention),
        "person": getattr(user, "person", None),
        "show_own": bool(own) or is_measure_owner_role(user),
    }
    sections = []
    if context["show_own"]:
        sections.append(("mine-tiltak", _("Mine tiltak")))
    if user.has_perm("measures.record_decision"):
        # «Til beslutning»: what the steering group (and the project leader) is asked to decide.
        sections.append(("til-beslutning", _("Til beslutning")))
        context["pending_decisions"] = list(pending_decisions())
    if user.has_perm("reports.view_report"):
        sections.append(("rapporter", _("Statusrapporter")))
        context |= {
            "reports": list(issued_reports()[:REPORTS_ON_PAGE]),
            "report_pair": latest_report_pair(),
            "since": changes_since_last_report(),
            "current_made_at": current_report_made_at(report_language(get_language())),
        }
    if user.has_perm("workspace.follow_programme"):
        sections.append(("programmet", _("Hele programmet")))
        context |= {
            "attention": programme_attention(today=today),
            "rule_breakers": inconsistent_measures(today=today),
        }
    if context["show_own"] or "attention" in context:
        # Those who may be reminded by e-mail can pause the reminders here.
        sections.append(("paminnelser", _("Påminnelser på e-post")))
        context["reminders_paused"] = reminders_paused(user)
    if user.has_perm("participation.view_publicinput"):
        # Public input on the user's measures (all of them for the project leader).
        context["new_inputs"] = new_input_count(user=user)
    context["sections"] = sections
    return render(request, "workspace/home.html", context)


@require_POST
@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    """Pause the user's reminders by e-mail (`paused=1`), or turn them on again (`paused=0`)."""
    paused = request.POST.get("paused") == "1"
    reminder_preference_set(user=request.user, paused=paused)
    messages.success(
        request,
        _("Påminnelsene på e-post er satt på pause.")
        if paused
        else _("Påminnelsene på e-post er slått på igjen."),
    )
    return redirect(f"{reverse('workspace:home')}#paminnelser")


def _measure_for(request: HttpRequest, slug: str, perm: str) -> Measure:
    """The measure, if the user may do `perm` with it: 404 for a measure that does not exist or
    is archived, 403 (a Norwegian page) for one that is not theirs."""
    measure = (
        Measure.objects.filter(slug=slug, archived_at__isnull=True)
        .select_related("focus_area")
        .first()
    )
    if measure is None:
        raise Http404(_("Fant ikke tiltaket."))
    if not request.user.has_perm(perm, measure):
        raise PermissionDenied
    return measure


def _add_service_errors(form: BaseForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _reloaded(request: HttpRequest, measure: Measure) -> tuple[Measure, dict[str, Any]]:
    """The measure as it is now, and what the user posted with the current version, so that
    saving again after reading the changes goes through."""
    current = Measure.objects.select_related("focus_area").get(pk=measure.pk)
    data = request.POST.copy()
    data["expected_version"] = str(current.version)
    return current, data


@GET_OR_POST
@login_required
def status_update(request: HttpRequest, slug: str) -> HttpResponse:
    measure = _measure_for(request, slug, "measures.update_status_measure")
    form: StatusUpdateForm = StatusForm(measure=measure)
    if request.method == "POST":
        saved = status_form_save(
            measure=measure, data=request.POST, author=request.user, form_class=StatusForm
        )
        measure, form = saved.measure, saved.form
        if saved.update is not None:
            messages.success(
                request,
                _("Statusen for «%(title)s» er lagret og vises nå på nettstedet.")
                % {"title": measure.title},
            )
            return redirect(f"{reverse('workspace:home')}#tiltak-{measure.slug}")
    context = {
        "measure": measure,
        "row": measure_attention(measure, today=timezone.localdate()),
        "form": form,
        "can_change": takes_status_updates(measure),
        "updates": measure.status_updates.order_by("-date", "-created_at", "-id")[:10],
        "statuses": STATUSES,
    }
    return render(request, "workspace/status.html", context)


@GET_OR_POST
@login_required
def description(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Edit «Om tiltaket». «Forhåndsvis» shows the sanitised text and saves nothing; with htmx
    only the preview is fetched."""
    measure = _measure_for(request, slug, "measures.edit_description_measure")
    form = DescriptionForm(
        request.POST or None,
        initial={"description": measure.description, "expected_version": measure.version},
    )
    context: dict[str, Any] = {"measure": measure, "form": form, "preview": None}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["description"]
        if "_preview" in request.POST:
            context["preview"] = render_markdown(text)
            if wants_fragment(request):
                return render(request, "workspace/description.html#preview", context)
        else:
            try:
                changed = measure_description_update(
                    measure=measure,
                    description=text,
                    expected_version=form.cleaned_data["expected_version"],
                    user=request.user,
                )
            except MeasureConflictError as error:
                measure, posted = _reloaded(request, measure)
                form = DescriptionForm(posted)
                form.is_valid()
                form.add_error(None, error.messages[0])
                for line in conflict_messages(error.changes):
                    form.add_error(None, line)
                context |= {"measure": measure, "form": form}
            else:
                message = (
                    _("Beskrivelsen av «%(title)s» er lagret.")
                    if changed
                    else _("Beskrivelsen av «%(title)s» var uendret; ingenting er lagret.")
                )
                messages.success(request, message % {"title": measure.title})
                return redirect(f"{reverse('workspace:home')}#tiltak-{measure.slug}")
    return render(request, "workspace/description.html", context)


@GET_OR_POST
@login_required
def indicators(request: HttpRequest, slug: str) -> HttpResponse:
    """The measure's indicators with their values, and a form under each to record a new one."""
    measure = _measure_for(request, slug, "measures.change_measure")
    indicator_list = list(measure.indicators.prefetch_related("values").order_by("order", "name"))
    forms = {i.pk: IndicatorValueForm(indicator=i) for i in indicator_list}
    if request.method == "POST":
        indicator = _posted_indicator(request, indicator_list)
        form = IndicatorValueForm(request.POST, indicator=indicator)
        forms[indicator.pk] = form
        if form.is_valid():
            try:
                indicator_value_create(
                    indicator=indicator,
                    date=form.cleaned_data["date"],
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Verdien for «%(indicator)s» er registrert.") % {"indicator": indicator.name},
                )
                url = reverse("workspace:indicators", kwargs={"slug": measure.slug})
                return redirect(f"{url}#indikator-{indicator.pk}")
    context = {
        "measure": measure,
        "indicators": [(i, forms[i.pk]) for i in indicator_list],
    }
    return render(request, "workspace/indicators.html", context)


def _posted_indicator(request: HttpRequest, indicators: list[Indicator]) -> Indicator:
    try:
        pk = int(request.POST.get("indicator", ""))
    except ValueError:
        raise Http404(_("Fant ikke indikatoren.")) from None
    indicator = next((i for i in indicators if i.pk == pk), None)
    if indicator is None:
        raise Http404(_("Fant ikke indikatoren."))
    if not request.user.has_perm("measures.add_indicatorvalue", indicator):
        raise PermissionDenied
    return indicator
