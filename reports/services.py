"""Making, issuing and retrying steering-group status reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures import selectors
from measures.models import FocusArea, Programme
from reports.models import Report, ReportState, Scope
from reports.schema import Snapshot
from reports.validation import report_order_errors
from teams.models import Municipality
from teams.selectors import display_name

logger = logging.getLogger(__name__)


def current_programme() -> Programme:
    """The current programme, or a ValidationError saying there is none to report on."""
    programme = selectors.current_programme()
    if programme is None:
        raise ValidationError(_("Det finnes ikke noe gjeldende program å lage rapport for."))
    return programme


def default_period(*, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the end of the previous issued report (or the programme's start) to today."""
    today = today or timezone.localdate()
    previous = (
        Report.objects.filter(state=ReportState.ISSUED, scope=Scope.PROGRAMME)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    if previous is not None:
        start = min(previous + dt.timedelta(days=1), today)
    else:
        start = selectors.current_programme_start() or today
    return start, today


def default_title(*, scope_name: str, period_end: dt.date) -> str:
    return _("Statusrapport %(scope)s %(date)s") % {
        "scope": scope_name.lower() if scope_name == str(Scope.PROGRAMME.label) else scope_name,
        "date": period_end.strftime("%d.%m.%Y"),
    }


def report_request(
    *,
    title: str,
    scope: str,
    period_start: dt.date,
    period_end: dt.date,
    focus_area: FocusArea | None = None,
    municipality: Municipality | None = None,
    user: Any = None,
) -> Report:
    """Order a report: stored as queued, then rendered by a background task.

    Guarantees: every rule of `reports.validation.report_order_errors` holds (the scope names
    exactly the target it needs; the period is not reversed nor in the future; a title; no more
    unfinished reports than `REPORT_MAX_PENDING_PER_USER` for the person and
    `REPORT_MAX_PENDING` in all). Orders are counted and written one at a time (the programme row
    is locked), so two orders at once cannot both pass the limit. The report only reaches the
    archive once its PDF is stored with its SHA-256.
    """
    try:
        programme = current_programme()
    except ValidationError as error:  # said of the order as a whole, as the other rules are
        raise ValidationError({NON_FIELD_ERRORS: error.messages}) from error
    report_fail_stale()  # a lost order must not hold its place in the queue
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        pending = report_pending(user=user)
        errors = report_order_errors(
            scope=scope,
            focus_area=focus_area,
            municipality=municipality,
            period_start=period_start,
            period_end=period_end,
            today=timezone.localdate(),
            title=title,
            pending_by_user=pending.by_user,
            pending=pending.all,
        )
        if errors:
            raise ValidationError(errors)
        report = Report.objects.create(
            title=title.strip(),
            scope=scope,
            focus_area=focus_area if scope == Scope.FOCUS_AREA else None,
            municipality=municipality if scope == Scope.MUNICIPALITY else None,
            period_start=period_start,
            period_end=period_end,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            issued_by_name=display_name(user),
        )
    _enqueue(report)
    return report


@dataclass(frozen=True)
class PendingOrders:
    """The titles of the reports ordered and not yet issued: the person's, and everyone's."""

    by_user: list[str]
    all: list[str]


def report_pending(*, user: Any) -> PendingOrders:
    """Reports queued or rendering, oldest first; one that has not moved for
    `REPORT_STALE_MINUTES` is lost (`report_fail_stale`) and does not count."""
    unfinished = Report.objects.filter(
        state__in=[ReportState.QUEUED, ReportState.RENDERING],
        state_changed_at__gte=_stale_before(timezone.now()),
    ).order_by("requested_at", "pk")
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    rows = list(unfinished.values_list("title", "requested_by_id"))
    return PendingOrders(
        by_user=[title for title, requested_by in rows if user_id and requested_by == user_id],
        all=[title for title, _requested_by in rows],
    )


def report_retry(*, report: Report, user: Any = None) -> Report:
    """Try a failed report again, within the same limits as a new order."""
    if report.state != ReportState.FAILED:
        raise ValidationError(_("Bare en rapport som feilet kan prøves på nytt."))
    programme = current_programme()
    report_fail_stale()
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        pending = report_pending(user=user)
        errors = report_order_errors(
            scope=report.scope,
            focus_area=report.focus_area,
            municipality=report.municipality,
            period_start=report.period_start,
            period_end=report.period_end,
            today=timezone.localdate(),
            pending_by_user=pending.by_user,
            pending=pending.all,
        )
        if errors:
            raise ValidationError(errors)
        retried = Report.objects.filter(pk=report.pk, state=ReportState.FAILED).update(
            state=ReportState.QUEUED,
            progress=0,
            progress_text="",
            error="",
            state_changed_at=timezone.now(),
        )
    report.refresh_from_db()
    if not retried:  # another tab was quicker
        raise ValidationError(_("Bare en rapport som feilet kan prøves på nytt."))
    _enqueue(report)
    return report


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES)


def report_is_stale(report: Report, *, now: dt.datetime | None = None) -> bool:
    """Unfinished, and not moved for `REPORT_STALE_MINUTES` (no database query)."""
    return not report.is_done and report.state_changed_at < _stale_before(now or timezone.now())


def report_fail_stale(*, pk: int | None = None, now: dt.datetime | None = None) -> int:
    """Give up on unfinished reports that have not moved for `REPORT_STALE_MINUTES`: no worker
    took the task, or the worker died while rendering. They are marked failed with the reason, so
    they can be retried; should the lost task still finish, its result is discarded (see
    `report_render`). One statement; returns how many reports were given up."""
    now = now or timezone.now()
    minutes = settings.REPORT_STALE_MINUTES
    stale = Report.objects.filter(
        state__in=[ReportState.QUEUED, ReportState.RENDERING],
        state_changed_at__lt=_stale_before(now),
    )
    if pk is not None:
        stale = stale.filter(pk=pk)
    never_started = _(
        "Ingen bakgrunnsprosess tok oppdraget i løpet av %(minutes)s minutter. "
        "Kjører arbeidsprosessen (manage.py db_worker)?"
    )
    stopped = _("Arbeidet stoppet uten å bli ferdig (ingen framdrift på %(minutes)s minutter).")
    given_up = stale.update(
        state=ReportState.FAILED,
        progress=0,
        progress_text="",
        error=Case(
            When(state=ReportState.QUEUED, then=Value(never_started % {"minutes": minutes})),
            default=Value(stopped % {"minutes": minutes}),
        ),
        state_changed_at=now,
    )
    if given_up:
        logger.warning("Gave up %s stale report(s)", given_up)
    return given_up


def _enqueue(report: Report) -> None:
    from reports.tasks import render_report

    render_report.enqueue(report.pk)


class _Abandoned(Exception):
    """The report stopped being ours while we rendered it (given up as stale)."""


def _step(report: Report, progress: int, text: str) -> None:
    # Written outside any transaction, so the progress page sees it while the work goes on.
    moved = Report.objects.filter(pk=report.pk, state=ReportState.RENDERING).update(
        progress=progress, progress_text=text, state_changed_at=timezone.now()
    )
    if not moved:
        raise _Abandoned


def report_build_snapshot(report: Report) -> Snapshot:
    from reports.snapshot import build_snapshot

    with translation.override("nb"):
        return build_snapshot(
            programme=current_programme(),
            title=report.title,
            period_start=report.period_start,
            period_end=report.period_end,
            focus_area=report.focus_area,
            municipality=report.municipality,
        )


def report_render(*, report_id: int) -> Report:
    """Render and issue a queued report. A failure is recorded with its reason; no PDF is kept.

    Safe to run twice or late: it only renders a report it could move from queued to rendering,
    and only issues it if the report is still rendering (not given up as stale) at the end."""
    from reports.layouts import render_report_html
    from reports.pdf import render_pdf

    # Claim the report: only a queued one is rendered, and only by one worker. A task delivered
    # twice, or one for a report already issued or given up as stale, does nothing.
    claimed = Report.objects.filter(pk=report_id, state=ReportState.QUEUED).update(
        state=ReportState.RENDERING,
        progress=0,
        progress_text="",
        state_changed_at=timezone.now(),
    )
    report = Report.objects.select_related("focus_area", "municipality").get(pk=report_id)
    if not claimed:
        return report
    stored_name = ""
    try:
        _step(report, 10, _("Henter dataene"))
        snapshot = report_build_snapshot(report)
        _step(report, 30, _("Setter opp rapporten"))
        html = render_report_html(snapshot)
        _step(report, 50, _("Lager PDF-en"))
        pdf, pages = render_pdf(html, title=report.title)
        _step(report, 90, _("Lagrer"))
        digest = hashlib.sha256(pdf).hexdigest()
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            if report.state != ReportState.RENDERING:
                raise _Abandoned
            report.issued_at = timezone.now()
            report.pdf.save(f"statusrapport-{report.pk}.pdf", ContentFile(pdf), save=False)
            stored_name = report.pdf.name or ""
            report.snapshot = snapshot
            report.sha256 = digest
            report.page_count = pages
            report.size_bytes = len(pdf)
            report.state = ReportState.ISSUED
            report.progress = 100
            report.progress_text = _("Ferdig")
            report.error = ""
            report.state_changed_at = report.issued_at
            report.save()
    except _Abandoned:
        logger.warning("Report %s was given up while it was rendered; result discarded", report_id)
        report.refresh_from_db()
    except Exception as error:
        logger.exception("Report %s failed", report_id)
        Report.objects.filter(pk=report_id, state=ReportState.RENDERING).update(
            state=ReportState.FAILED,
            progress=0,
            progress_text="",
            error=f"{type(error).__name__}: {error}"[:2000],
            pdf="",
            issued_at=None,
            state_changed_at=timezone.now(),
        )
        if stored_name:  # written before the row failed to save: no half-issued report remains
            default_storage.delete(stored_name)
        report.refresh_from_db()
    else:
        if report.scope == Scope.PROGRAMME and settings.CURRENT_REPORT_ON_CHANGE:
            # The current status now counts its changes from this report's end.
            from reports.current import request_after_change

            transaction.on_commit(request_after_change, robust=True)
    return report
