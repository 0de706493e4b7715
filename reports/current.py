"""The current-status report, /rapporter/gjeldende.pdf (and /en/rapporter/gjeldende.pdf, with
English labels): rendered by a task, never in a request.

A state of the programme is its content revision, the day (the report flags measures not updated
within the stale limit before it), the start of the report's period (the day after the last
issued programme report) and the language of the labels: one stored file per language. Each
state is rendered at most once:

- When the public content changes (`drivkraft.core.revision.content_revised`), once the change is
  committed, `current_report_request` makes the state's row (unique by `stamp`) for each language
  and enqueues one task for each, `CURRENT_REPORT_DELAY_SECONDS` ahead where the task backend can
  wait.
- The task (`reports.tasks.render_current_report`) skips a state that is no longer the current one
  (a newer change came while it waited: a burst of changes makes one render), claims the row
  (queued → rendering, once, with its own token) and renders it.
- The page serves the newest finished render and says when it was made; until one exists it
  answers 503 with Retry-After. A new day is a new state: the day's first request for the page
  enqueues it where a worker runs the tasks, and `manage.py render_current_report` renders it from
  a scheduled job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from drivkraft.core.revision import current_revision
from reports.models import CurrentReport, CurrentReportState, ReportLanguage

logger = logging.getLogger(__name__)

# Finished renders kept: the newest, and the one before it (a request may still be reading it).
KEEP_DONE = 2


def report_language(language: str | None) -> str:
    """The report language for a page language: English for English, else Norwegian."""
    return ReportLanguage.EN if (language or "").startswith("en") else ReportLanguage.NB


@dataclass(frozen=True)
class CurrentState:
    """What the current-status report would show now, in one language."""

    revision: int
    day: dt.date
    period_start: dt.date
    stamp: str
    language: str = ReportLanguage.NB


def current_state(language: str = ReportLanguage.NB) -> CurrentState:
    from reports.services import default_period

    revision = current_revision()
    start, day = default_period()
    stamp = (
        f"{language}-{day:%Y%m%d}-{start:%Y%m%d}-{revision.number}-"
        f"{revision.changed_at.timestamp():.0f}"
    )
    return CurrentState(
        revision=revision.number, day=day, period_start=start, stamp=stamp, language=language
    )


def current_report_newest(language: str = ReportLanguage.NB) -> CurrentReport | None:
    """The newest finished render in `language` (rows are made in the order of the states they
    are for)."""
    return (
        CurrentReport.objects.filter(state=CurrentReportState.DONE, language=language)
        .order_by("-pk")
        .first()
    )


@dataclass(frozen=True)
class MadeAt:
    """When the current-status report that is served was made, and whether the data has changed
    since (a newer one is then being made)."""

    at: dt.datetime
    outdated: bool


def current_report_made_at(language: str = ReportLanguage.NB) -> MadeAt | None:
    """When the report `/rapporter/gjeldende.pdf` serves (in `language`) was made; None before
    the first one."""
    newest = current_report_newest(language)
    if newest is None or newest.made_at is None:
        return None
    return MadeAt(at=newest.made_at, outdated=newest.stamp != current_state(language).stamp)


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES)


def current_report_request(
    *, state: CurrentState | None = None, delay: float = 0, enqueue: bool = True
) -> CurrentReport:
    """Make sure the current state is rendered or on its way; returns its row.

    Guarantees: one row per state, and one task per row (`enqueue=False` enqueues none: the
    caller renders it). A row left queued or rendering for `REPORT_STALE_MINUTES` (its task was
    lost, its worker died), or failed that long ago, is queued again. Call it outside a
    transaction: a worker must find the row when it takes the task.
    """
    state = state or current_state()
    row, created = CurrentReport.objects.get_or_create(
        stamp=state.stamp,
        defaults={
            "revision": state.revision,
            "day": state.day,
            "period_start": state.period_start,
            "language": state.language,
        },
    )
    if not created:
        if row.state == CurrentReportState.DONE or row.state_changed_at >= _stale_before():
            return row
        requeued = CurrentReport.objects.filter(
            pk=row.pk, state=row.state, state_changed_at=row.state_changed_at
        ).update(
            state=CurrentReportState.QUEUED, claim="", error="", state_changed_at=timezone.now()
        )
        row.refresh_from_db()
        if not requeued:
            return row
        logger.warning("Current report %s was %s too long; queued again", row.stamp, row.state)
    if enqueue:
        _enqueue(row, delay=delay)
    return row


def current_report_request_in_background(*, state: CurrentState) -> None:
    """From a request: enqueue the state's render where a worker renders it later (a backend
    that can wait, such as the database backend). With the immediate backend, which would render
    it here and now, nothing is done: a request never renders the report."""
    from reports.tasks import render_current_report

    if render_current_report.get_backend().supports_defer:
        current_report_request(state=state)


def _enqueue(row: CurrentReport, *, delay: float) -> None:
    from reports.tasks import render_current_report

    task: Any = render_current_report
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    task.enqueue(row.pk)


def on_content_revised(sender: Any, **kwargs: Any) -> None:
    """The public content changed: once that is committed, its state gets a render."""
    if settings.CURRENT_REPORT_ON_CHANGE:
        transaction.on_commit(request_after_change, robust=True)


def request_after_change() -> None:
    """The new state in every language: each gets its own row and task."""
    for language in ReportLanguage.values:
        current_report_request(
            state=current_state(language), delay=settings.CURRENT_REPORT_DELAY_SECONDS
        )


def current_report_render(*, current_id: int) -> CurrentReport | None:
    """Render one queued state, unless a newer state has come since it was queued.

    Guarantees: a row is rendered by one worker only (claimed queued → rendering with a token;
    a task delivered twice, or for a row already taken, does nothing); a state that is no longer
    current is dropped unrendered; a failure is recorded with its reason and leaves no file. At
    most `KEEP_DONE` finished renders are kept, their files with them.
    """
    row = CurrentReport.objects.filter(pk=current_id).first()
    if row is None or row.state != CurrentReportState.QUEUED:
        return row
    if row.stamp != current_state(row.language).stamp:
        # Changed again (or a new day) while this waited: the newer state's task renders.
        CurrentReport.objects.filter(pk=row.pk, state=CurrentReportState.QUEUED).delete()
        return None
    claim = secrets.token_hex(16)
    claimed = CurrentReport.objects.filter(pk=row.pk, state=CurrentReportState.QUEUED).update(
        state=CurrentReportState.RENDERING, claim=claim, state_changed_at=timezone.now()
    )
    if not claimed:
        row.refresh_from_db()
        return row
    name = ""
    try:
        made_at = timezone.now()
        pdf = _render(row, made_at=made_at)
        name = default_storage.save(
            f"rapporter/gjeldende/statusrapport-gjeldende-{row.stamp}.pdf", ContentFile(pdf)
        )
        finished = CurrentReport.objects.filter(
            pk=row.pk, state=CurrentReportState.RENDERING, claim=claim
        ).update(
            state=CurrentReportState.DONE,
            pdf=name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            made_at=made_at,
            state_changed_at=timezone.now(),
        )
        if not finished:  # given up as stale and taken by another worker meanwhile
            default_storage.delete(name)
        else:
            _remove_old(row)
    except Exception as error:
        logger.exception("Current report %s failed", row.stamp)
        CurrentReport.objects.filter(
            pk=row.pk, state=CurrentReportState.RENDERING, claim=claim
        ).update(
            state=CurrentReportState.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            state_changed_at=timezone.now(),
        )
        if name:
            default_storage.delete(name)
    row.refresh_from_db()
    return row


def current_report_title(made_at: dt.datetime) -> str:
    local = timezone.localtime(made_at)
    return _("Gjeldende status %(date)s kl. %(time)s") % {
        "date": f"{local:%d.%m.%Y}",
        "time": f"{local:%H.%M}",
    }


def _render(row: CurrentReport, *, made_at: dt.datetime) -> bytes:
    from reports import pdf as engine
    from reports.layouts import render_report_html
    from reports.services import current_programme
    from reports.snapshot import build_snapshot

    with translation.override(row.language):
        # The cover says when the data was read: a file served while a newer one is being made
        # shows its own time.
        title = current_report_title(made_at)
        snapshot = build_snapshot(
            programme=current_programme(),
            title=title,
            period_start=row.period_start,
            period_end=row.day,
            today=row.day,
        )
        html = render_report_html(snapshot, compact=True, language=row.language)
        pdf, _pages = engine.render_pdf(html, title=title, language=row.language)
    return pdf


def _remove_old(done: CurrentReport) -> None:
    """Keep the newest KEEP_DONE finished renders of `done`'s language; the other language's
    files are another report's."""
    keep = list(
        CurrentReport.objects.filter(state=CurrentReportState.DONE, language=done.language)
        .order_by("-pk")
        .values_list("pk", flat=True)[:KEEP_DONE]
    )
    old = (
        CurrentReport.objects.filter(pk__lt=done.pk, language=done.language)
        .exclude(pk__in=keep)
        .exclude(state__in=[CurrentReportState.QUEUED, CurrentReportState.RENDERING])
    )
    for row in old:
        if row.pdf.name:
            default_storage.delete(row.pdf.name)
        row.delete()
