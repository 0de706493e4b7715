"""Min side's milestones and decisions of a measure (issue 12): the owner's dated next steps
(add, edit, tick off or undo, move, delete) and the questions for the steering group, asked by
the owner and recorded by the project leader or the steering group. Every write goes through a
service of `measures.services`; every page works as plain forms, and htmx swaps the list in place.

In a module of its own beside `workspace.views` (which holds the owner's first three tasks), so
that neither grows past a screenful of routes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drivkraft.core.htmx import HtmxHttpRequest, wants_fragment
from measures.models import Decision, Measure, Milestone
from measures.services import (
    decision_record,
    decision_request,
    milestone_complete,
    milestone_delete,
    milestone_move,
    milestone_save,
)
from workspace.forms import DecisionRecordForm, DecisionRequestForm, MilestoneForm
from workspace.views import GET_OR_POST
from workspace.views import _add_service_errors as add_service_errors
from workspace.views import _measure_for as measure_for


def _list_url(measure: Measure) -> str:
    return reverse("workspace:milestones", kwargs={"slug": measure.slug})


def _milestone_of(measure: Measure, pk: int, user: Any) -> Milestone:
    milestone = Milestone.objects.filter(measure=measure, pk=pk).first()
    if milestone is None:
        raise Http404(_("Fant ikke milepælen."))
    if not user.has_perm("measures.change_milestone", milestone):
        raise PermissionDenied
    milestone.measure = measure  # known already: the templates need no query for it
    return milestone


def _list_context(measure: Measure, form: MilestoneForm) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "measure": measure,
        "milestones": [(m, m.state(today)) for m in measure.milestones.all()],
        "form": form,
    }


@GET_OR_POST
@login_required
def milestones(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The measure's milestones in their order, each with its actions, and a form to add one."""
    measure = measure_for(request, slug, "measures.add_milestone")
    form = MilestoneForm(request.POST or None, prefix="ny")
    if request.method == "POST" and form.is_valid():
        milestone = form.save(commit=False)
        milestone.measure = measure
        try:
            milestone_save(milestone=milestone, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Milepælen «%(title)s» er lagt til.") % {"title": milestone.title}
            )
            return redirect(f"{_list_url(measure)}#milepael-{milestone.pk}")
    return render(request, "workspace/milestones.html", _list_context(measure, form))


@GET_OR_POST
@login_required
def milestone_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    measure = measure_for(request, slug, "measures.add_milestone")
    milestone = _milestone_of(measure, pk, request.user)
    form = MilestoneForm(request.POST or None, instance=milestone, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            milestone_save(milestone=form.save(commit=False), user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Milepælen «%(title)s» er lagret.") % {"title": milestone.title}
            )
            return redirect(f"{_list_url(measure)}#milepael-{milestone.pk}")
    context = {"measure": measure, "milestone": milestone, "form": form}
    return render(request, "workspace/milestone_edit.html", context)


def _back_to_list(
    request: HtmxHttpRequest, measure: Measure, anchor: str = "", notice: str = ""
) -> HttpResponse:
    """With htmx the list fragment, in place, saying what was done to screen readers (the page's
    own message is not renewed); else back to the page, at the milestone."""
    if wants_fragment(request):
        context = _list_context(measure, MilestoneForm(prefix="ny"))
        response = render(request, "workspace/milestones.html#milestone-list", context)
        response.content += render_to_string(
            "workspace/milestones.html#milestone-notice",
            {"notice": notice, "oob": True},
            request=request,
        ).encode()
        return response
    return redirect(f"{_list_url(measure)}{anchor}")


@require_POST
@login_required
def milestone_done(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Tick off as done today (`done=1`), or undo (`done=0`)."""
    measure = measure_for(request, slug, "measures.add_milestone")
    milestone = _milestone_of(measure, pk, request.user)
    done = request.POST.get("done") == "1"
    milestone_complete(
        milestone=milestone, on=timezone.localdate() if done else None, user=request.user
    )
    message = (
        _("Milepælen «%(title)s» er markert som nådd.")
        if done
        else _("Milepælen «%(title)s» er åpnet igjen.")
    ) % {"title": milestone.title}
    if not wants_fragment(request):
        messages.success(request, message)
    return _back_to_list(request, measure, f"#milepael-{milestone.pk}", message)


@require_POST
@login_required
def milestone_reorder(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move one place up (`direction=opp`) or down (`ned`)."""
    measure = measure_for(request, slug, "measures.add_milestone")
    milestone = _milestone_of(measure, pk, request.user)
    direction = request.POST.get("direction")
    if direction not in ("opp", "ned"):
        raise Http404(_("Ukjent retning."))
    milestone_move(milestone=milestone, offset=-1 if direction == "opp" else 1, user=request.user)
    notice = (
        _("«%(title)s» er flyttet opp.") if direction == "opp" else _("«%(title)s» er flyttet ned.")
    ) % {"title": milestone.title}
    return _back_to_list(request, measure, f"#milepael-{milestone.pk}", notice)


@GET_OR_POST
@login_required
def milestone_remove(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes (the history keeps it)."""
    measure = measure_for(request, slug, "measures.add_milestone")
    milestone = _milestone_of(measure, pk, request.user)
    if not request.user.has_perm("measures.delete_milestone", milestone):
        raise PermissionDenied
    if request.method == "POST":
        milestone_delete(milestone=milestone, user=request.user)
        message = _("Milepælen «%(title)s» er slettet.") % {"title": milestone.title}
        if not wants_fragment(request):
            messages.success(request, message)
        return _back_to_list(request, measure, notice=message)
    context = {"measure": measure, "milestone": milestone}
    return render(request, "workspace/milestone_delete.html", context)


def _decision_measure(request: HtmxHttpRequest, slug: str) -> Measure:
    """The measure, for whoever may ask for a decision about it or record one."""
    measure = (
        Measure.objects.filter(slug=slug, archived_at__isnull=True)
        .select_related("focus_area")
        .first()
    )
    if measure is None:
        raise Http404(_("Fant ikke tiltaket."))
    user: Any = request.user
    if not (
        user.has_perm("measures.add_decision", measure)
        or user.has_perm("measures.record_decision", measure)
    ):
        raise PermissionDenied
    return measure


@GET_OR_POST
@login_required
def decision(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """«Trenger beslutning»: the measure's questions for the steering group. The owner (and the
    project leader) asks; the project leader or a steering-group member records the decision,
    with its date and text, on the same page."""
    measure = _decision_measure(request, slug)
    user: Any = request.user
    may_request = user.has_perm("measures.add_decision", measure)
    may_record = user.has_perm("measures.record_decision", measure)
    decisions = list(measure.decisions.select_related("requested_by__person", "decided_by"))
    request_form = DecisionRequestForm(prefix="ny") if may_request else None
    record_forms = (
        {d.pk: DecisionRecordForm(decision=d) for d in decisions if d.is_pending}
        if may_record
        else {}
    )
    if request.method == "POST":
        if "record" in request.POST:
            response = _record(request, measure, decisions, record_forms)
        else:
            if request_form is None:
                raise PermissionDenied
            request_form = DecisionRequestForm(request.POST, prefix="ny")
            response = _ask(request, measure, request_form)
        if response is not None:
            return response
    context = {
        "measure": measure,
        "pending": [(d, record_forms.get(d.pk)) for d in decisions if d.is_pending],
        "decided": [d for d in decisions if not d.is_pending],
        "request_form": request_form,
        "may_record": may_record,
    }
    return render(request, "workspace/decision.html", context)


def _ask(
    request: HtmxHttpRequest, measure: Measure, form: DecisionRequestForm
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        decision_request(measure=measure, question=form.cleaned_data["question"], user=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(
        request,
        _("«%(title)s» er meldt til styringsgruppen som «Trenger beslutning».")
        % {"title": measure.title},
    )
    return redirect(reverse("workspace:decision", kwargs={"slug": measure.slug}))


def _record(
    request: HtmxHttpRequest,
    measure: Measure,
    decisions: list[Decision],
    forms: dict[int, DecisionRecordForm],
) -> HttpResponse | None:
    try:
        pk = int(request.POST.get("record", ""))
    except ValueError:
        raise Http404(_("Fant ikke beslutningen.")) from None
    decision = next((d for d in decisions if d.pk == pk), None)
    if decision is None:
        raise Http404(_("Fant ikke beslutningen."))
    if not request.user.has_perm("measures.record_decision", decision):
        raise PermissionDenied
    if not decision.is_pending:  # recorded meanwhile, by someone else
        messages.info(request, _("Beslutningen er alt registrert."))
        return redirect(reverse("workspace:decision", kwargs={"slug": measure.slug}))
    form = DecisionRecordForm(request.POST, decision=decision)
    forms[decision.pk] = form
    if not form.is_valid():
        return None
    try:
        decision_record(
            decision=decision,
            decided_on=form.cleaned_data["decided_on"],
            text=form.cleaned_data["decision"],
            user=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(
        request,
        _("Beslutningen om «%(title)s» er registrert og vises på tiltakets side.")
        % {"title": measure.title},
    )
    return redirect(reverse("workspace:decision", kwargs={"slug": measure.slug}))
