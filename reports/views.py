"""The steering group's reports: archive, ordering, progress, downloads and the current status."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import http_date, urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drivkraft.core.htmx import HtmxHttpRequest, wants_fragment
from reports import current, selectors, services
from reports.forms import ReportForm
from reports.models import CurrentReport, Report, ReportLanguage, ReportState, Scope

logger = logging.getLogger(__name__)

read_required = permission_required("reports.view_report", raise_exception=True)
issue_required = permission_required("reports.issue_report", raise_exception=True)


@require_safe
@login_required
@read_required
def archive(request: HttpRequest) -> HttpResponse:
    issued = Report.objects.filter(state=ReportState.ISSUED).select_related(
        "focus_area", "municipality"
    )
    pending: list[Report] = []
    if request.user.has_perm("reports.issue_report"):
        unfinished = Report.objects.exclude(state=ReportState.ISSUED).order_by("-requested_at")
        pending = list(unfinished[:20])
        if any(services.report_is_stale(report) for report in pending):
            services.report_fail_stale()
            pending = list(unfinished[:20])
    context = {"reports": issued, "pending": pending, "current": _current_status()}
    return render(request, "reports/archive.html", context)


def _current_status() -> dict[str, Any]:
    """The newest current-status PDF, when it was made, and whether a newer one is on its way."""
    language = current.report_language(translation.get_language())
    newest = current.current_report_newest(language)
    state = current.current_state(language)
    return {"newest": newest, "up_to_date": newest is not None and newest.stamp == state.stamp}


def _form_data(form: ReportForm) -> dict[str, Any]:
    data = form.cleaned_data
    scope = data["scope"]
    target = data.get("focus_area") if scope == Scope.FOCUS_AREA else None
    municipality = data.get("municipality") if scope == Scope.MUNICIPALITY else None
    scope_name = str(target or municipality or Scope.PROGRAMME.label)
    return {
        "scope": scope,
        "focus_area": target,
        "municipality": municipality,
        "period_start": data["period_start"],
        "period_end": data["period_end"],
        "title": data.get("title")
        or services.default_title(scope_name=scope_name, period_end=data["period_end"]),
    }


def _preview_query(data: dict[str, Any]) -> str:
    """The report's choices as a query string for the HTML preview (never the CSRF token)."""
    return urlencode(
        {
            "scope": data["scope"],
            "focus_area": data["focus_area"].pk if data["focus_area"] else "",
            "municipality": data["municipality"].pk if data["municipality"] else "",
            "period_start": data["period_start"].isoformat(),
            "period_end": data["period_end"].isoformat(),
            "title": data["title"],
        }
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@issue_required
def new(request: HttpRequest) -> HttpResponse:
    """Step 1: choose scope, period and title. Step 2 (POST «Forhåndsvis»): check the figures
    and the HTML preview. Step 3 (POST «Utsted»): the report is rendered and archived."""
    start, end = services.default_period()
    # The limits of unfinished orders apply to ordering, not to a preview.
    pending = (
        services.report_pending(user=request.user)
        if "_issue" in request.POST
        else services.PendingOrders(by_user=[], all=[])
    )
    form = ReportForm(
        request.POST or None,
        initial={"scope": Scope.PROGRAMME, "period_start": start, "period_end": end},
        pending_by_user=pending.by_user,
        pending=pending.all,
    )
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        if "_issue" in request.POST:
            try:
                report = services.report_request(**data, user=request.user)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect(report)
        else:
            report = Report(**data)
            try:
                snapshot = services.report_build_snapshot(report)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                context |= {"preview": snapshot, "data": data, "query": _preview_query(data)}
    return render(request, "reports/new.html", context)


@require_safe
@login_required
@issue_required
def preview(request: HttpRequest) -> HttpResponse:
    """The report as HTML, exactly as it will be laid out in the PDF."""
    from reports.layouts import render_report_html

    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/new.html", {"form": form}, status=400)
    report = Report(**_form_data(form))
    return HttpResponse(render_report_html(services.report_build_snapshot(report)))


@require_safe
@login_required
@read_required
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("focus_area", "municipality"), pk=pk)
    if report.state != ReportState.ISSUED and not request.user.has_perm("reports.issue_report"):
        raise Http404
    # The page polls while the report is unfinished: it is also where a lost task shows up.
    if services.report_is_stale(report):
        services.report_fail_stale(pk=report.pk)
        report.refresh_from_db()
    template = "reports/detail.html"
    if wants_fragment(request):
        template += "#progress"
    return render(request, template, {"report": report})


@require_POST
@login_required
@issue_required
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    try:
        services.report_retry(report=report, user=request.user)
    except ValidationError as error:  # a second click, or another tab was quicker
        messages.info(request, " ".join(error.messages))
    return redirect(report)


@require_safe
@login_required
@read_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(Report, pk=pk, state=ReportState.ISSUED)
    response = FileResponse(
        report.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"statusrapport-{report.pk}-{report.period_end:%Y-%m-%d}.pdf",
    )
    response["ETag"] = f'"{report.sha256}"'
    # Never kept by the browser: it would outlive the session on a shared computer.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
@read_required
def compare(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Two issued reports side by side: per measure, status and progress then and now, and the
    measures added or removed. Read from their stored snapshots; 404 unless both are issued."""
    reports = Report.objects.filter(state=ReportState.ISSUED, pk__in=[pk, other_pk]).select_related(
        "focus_area", "municipality"
    )
    found = {report.pk: report for report in reports}
    if pk not in found or other_pk not in found or pk == other_pk:
        raise Http404
    comparison = selectors.report_comparison(report=found[pk], other=found[other_pk])
    return render(request, "reports/compare.html", {"comparison": comparison})


# How long to wait before asking again for a current-status PDF that is being made.
CURRENT_RETRY_AFTER_SECONDS = 30


@require_safe
@login_required
@read_required
def current_pdf(request: HttpRequest) -> HttpResponse:
    """The newest current-status PDF. It is never rendered here: a task renders each state of the
    programme once (reports.current). While a newer one is being made, the previous one is
    served, and says when it was made (Last-Modified, X-Report-Status: outdated, its cover);
    before the first one exists the answer is a short page and 503 with Retry-After.

    Under /en/ the labels are English (the content stays Norwegian, marked so): a file of its own,
    made by the same task."""
    language = current.report_language(translation.get_language())
    state = current.current_state(language)
    newest = current.current_report_newest(language)
    if newest is None or newest.stamp != state.stamp:
        # A new day (or a change whose task was lost): queued for a worker, never made here.
        current.current_report_request_in_background(state=state)
    etag = f'"{newest.sha256}"' if newest is not None else ""
    not_modified = bool(etag) and request.headers.get("If-None-Match") == etag
    pdf = None if not_modified else _read_pdf(newest)
    if newest is None or newest.made_at is None or (pdf is None and not not_modified):
        response = render(request, "reports/current_pending.html", status=503)
        response["Retry-After"] = str(CURRENT_RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    if not_modified:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        made_on = timezone.localtime(newest.made_at).date()
        suffix = "" if language == ReportLanguage.NB else f"-{language}"
        filename = f"statusrapport-gjeldende-{made_on:%Y-%m-%d}{suffix}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(newest.made_at.timestamp())
    response["X-Report-Status"] = "current" if newest.stamp == state.stamp else "outdated"
    response["Cache-Control"] = "private, no-store"
    return response


def _read_pdf(newest: CurrentReport | None) -> bytes | None:
    if newest is None:
        return None
    try:
        with newest.pdf.open("rb") as stored:
            return bytes(stored.read())
    except FileNotFoundError:  # removed by a newer render just now
        logger.warning("Current report file %s is gone", newest.pdf.name)
        return None
