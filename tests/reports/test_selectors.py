"""«Since the last report» for the steering group, and the archive list, read for Min side."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from measures.models import StatusUpdate
from measures.status import Status
from reports.current import current_report_made_at
from reports.models import ReportState, Scope
from reports.selectors import changes_since_last_report, issued_reports, last_programme_report
from tests.measures.factories import MeasureFactory
from tests.reports.conftest import FakeRender, Plan, make_report, render_current, update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_issued_reports_newest_first_and_only_issued(plan: Plan) -> None:
    older = make_report(title="Våren", issued_at=timezone.now() - dt.timedelta(days=30))
    newer = make_report(title="Kommunen", scope=Scope.MUNICIPALITY, municipality=plan.harstad)
    make_report(title="Halvferdig", state=ReportState.RENDERING)

    assert list(issued_reports()) == [newer, older]


def test_the_last_programme_report_is_the_one_whose_period_ends_last(plan: Plan) -> None:
    make_report(title="Sist utstedt", period_end=dt.date(2024, 3, 31))
    latest = make_report(
        title="Lengste periode",
        period_end=dt.date(2024, 6, 30),
        issued_at=timezone.now() - dt.timedelta(days=3),
    )
    make_report(
        title="Ett område",
        scope=Scope.FOCUS_AREA,
        focus_area=plan.youth,
        period_end=dt.date(2024, 9, 30),
    )

    assert last_programme_report() == latest


def test_since_the_last_report_names_new_delays_completions_stops_and_moved_ends(
    plan: Plan, django_assert_max_num_queries: Any
) -> None:
    report = make_report(title="Sommerrapporten", period_end=dt.date(2024, 6, 30))
    bridge, harbour, club = plan.bridge, plan.harbour, plan.club
    # The bridge was on plan (forecast 31.12.2025) at the report; it is delayed after it.
    bridge.status_updates.update(forecast_end=dt.date(2025, 12, 31))
    update(bridge, Status.DELAYED, dt.date(2024, 7, 10), "Anbudet ble klaget inn.", 35)
    StatusUpdate.objects.filter(pk=bridge.status_updates.latest().pk).update(
        forecast_end=dt.date(2026, 3, 31)
    )
    bridge.refresh_from_db()
    update(harbour, Status.ON_TRACK, dt.date(2024, 7, 1), "I gang.", 50)
    update(harbour, Status.COMPLETED, dt.date(2024, 8, 1), "Kaia er ferdig.", 100)
    update(club, Status.STOPPED, dt.date(2024, 8, 15), "Ingen lokaler.", 10)
    # A delay that was over before now is no new delay.
    recovered = MeasureFactory(focus_area=plan.youth, title="Kom seg igjen")
    update(recovered, Status.DELAYED, dt.date(2024, 7, 2), "Sykdom.", 10)
    update(recovered, Status.ON_TRACK, dt.date(2024, 7, 20), "Tilbake i rute.", 20)
    # A draft's changes are not the steering group's news.
    update(plan.draft, Status.STOPPED, dt.date(2024, 8, 2), "Utkastet stanses.", 0)

    with django_assert_max_num_queries(3):
        since = changes_since_last_report()

    assert since.report == report
    assert since.since == dt.date(2024, 7, 1)
    assert [u.measure for u in since.delayed] == [bridge]
    assert since.delayed[0].comment == "Anbudet ble klaget inn."
    assert [u.measure for u in since.completed] == [harbour]
    assert [u.measure for u in since.stopped] == [club]
    assert [(m.measure, m.before, m.after, m.days) for m in since.moved] == [
        (bridge, dt.date(2025, 12, 31), dt.date(2026, 3, 31), 90)
    ]
    assert not since.is_empty


def test_changes_before_the_report_are_not_news(plan: Plan) -> None:
    make_report(title="Sommerrapporten", period_end=dt.date(2024, 6, 30))

    since = changes_since_last_report()

    assert since.is_empty  # the bridge's update of 01.06.2024 was in the report


def test_without_a_report_it_counts_from_the_programme_start(plan: Plan) -> None:
    since = changes_since_last_report()

    assert since.report is None
    assert since.since == plan.programme.start
    assert since.is_empty  # the bridge went on plan, which is no news of these kinds


def test_the_queries_do_not_grow_with_the_updates(
    plan: Plan, django_assert_max_num_queries: Any
) -> None:
    make_report(title="Sommerrapporten", period_end=dt.date(2024, 6, 30))
    for n in range(12):
        measure = MeasureFactory(focus_area=plan.youth, title=f"Tiltak {n:02d}")
        update(measure, Status.ON_TRACK, dt.date(2024, 7, 1), "I gang.", 10)
        update(measure, Status.DELAYED, dt.date(2024, 7, 2 + n), "Forsinket.", 20)

    with django_assert_max_num_queries(3):
        since = changes_since_last_report()

    assert len(since.delayed) == 12


def test_the_current_report_says_when_it_was_made(
    plan: Plan, fake_render: FakeRender, media: Path
) -> None:
    assert current_report_made_at() is None  # not made yet: the task makes it

    before = timezone.now().replace(microsecond=0)
    render_current()
    made_at = current_report_made_at()

    assert made_at is not None
    assert made_at.at >= before - dt.timedelta(seconds=1)
    assert not made_at.outdated
    assert default_storage.exists(next(media.rglob("*.pdf")).relative_to(media).as_posix())

    # The data changed: the one served still says when it was made, and that a newer is due.
    update(plan.club, Status.ON_TRACK, timezone.localdate(), "Ny status.", 10)
    outdated = current_report_made_at()
    assert outdated is not None
    assert (outdated.at, outdated.outdated) == (made_at.at, True)
