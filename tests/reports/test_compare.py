"""Comparing two issued reports: /rapporter/<pk>/sammenlign/<other_pk>/ and the steering group's
link from Min side (`latest_report_pair`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from measures.status import Status
from reports.models import Report, ReportState, Scope
from reports.selectors import latest_report_pair, report_comparison
from tests.measures.factories import MeasureFactory
from tests.reports.conftest import Small, logged_in, login_url, make_report, small_snapshot, update
from tests.teams.factories import MunicipalityFactory

pytestmark = pytest.mark.usefixtures("media")


def compare_url(report: Report, other: Report) -> str:
    return reverse("reports:compare", kwargs={"pk": report.pk, "other_pk": other.pk})


def two_reports(small: Small) -> tuple[Report, Report]:
    """A report of the plan as it was, then changes, then a report of it as it is now: the
    bridge completed, the club started, a new measure added, the harbour unpublished."""
    bridge, harbour, club = small.published
    then = make_report(
        title="Rapport juni",
        period_end=dt.date(2024, 6, 30),
        issued_at=dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC),
        snapshot=small_snapshot(small),
    )
    update(bridge, Status.COMPLETED, dt.date(2024, 9, 1), "Åpnet.", 100)
    update(club, Status.ON_TRACK, dt.date(2024, 9, 2), "I gang.", 25)
    MeasureFactory(focus_area=club.focus_area, title="Sommerjobb for ungdom")
    harbour.is_published = False
    harbour.save()
    now = make_report(
        title="Rapport desember",
        period_start=dt.date(2024, 7, 1),
        period_end=dt.date(2024, 12, 31),
        issued_at=dt.datetime(2025, 1, 2, 12, tzinfo=dt.UTC),
        snapshot=small_snapshot(small),
    )
    return then, now


def test_the_comparison_shows_status_and_progress_then_and_now(small: Small) -> None:
    then, now = two_reports(small)
    bridge, harbour, club = small.published

    # Whichever is named first, the earlier report is «then».
    for first, second in ((then, now), (now, then)):
        comparison = report_comparison(report=first, other=second)
        assert (comparison.then, comparison.now) == (then, now)
    rows = {m.title: m for m in comparison.measures}
    assert set(rows) == {bridge.title, club.title}
    assert (rows[bridge.title].status_then.value, rows[bridge.title].status_now.value) == (
        Status.DELAYED,
        Status.COMPLETED,
    )
    assert (rows[bridge.title].progress_then, rows[bridge.title].progress_now) == (45, 100)
    assert rows[club.title].progress_change == 25
    assert comparison.changed_count == 2
    assert [m.title for m in comparison.added] == ["Sommerjobb for ungdom"]
    assert [m.title for m in comparison.removed] == [harbour.title]


def test_the_page_shows_the_comparison(small: Small, steering: Any) -> None:
    then, now = two_reports(small)
    bridge, harbour, club = small.published

    response = logged_in(steering).get(compare_url(now, then))

    assert response.status_code == 200
    html = response.content.decode()
    text = " ".join(html.split())
    assert (
        "«Rapport juni» (per 30. juni 2024) og i «Rapport desember» (per 31. desember 2024)" in text
    )
    assert "2 av 2 tiltak har endret status eller framdrift." in text
    row = text[text.index(f"<span>{bridge.title}</span>") :].split("</tr>")[0]
    assert row.index("</span> Forsinket</span>") < row.index("</span> Gjennomført</span>")
    assert "45&nbsp;%" in row and "100&nbsp;%" in row
    assert "Ny status, +55 prosentpoeng" in row
    club_row = text[text.index(f"<span>{club.title}</span>") :].split("</tr>")[0]
    assert club_row.index("</span> Ikke startet</span>") < club_row.index(
        "</span> Under arbeid etter plan</span>"
    )
    new = text[text.index('id="nye"') : text.index('id="borte"')]
    assert "Sommerjobb for ungdom" in new
    removed = text[text.index('id="borte"') :]
    assert harbour.title in removed
    assert "Sommerjobb" not in removed


def test_the_comparison_reads_no_row_per_measure(
    small: Small, steering: Any, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    then, now = two_reports(small)
    client = logged_in(steering)
    client.get(compare_url(then, now))  # the session and the groups, once

    with django_assert_max_num_queries(6) as few:
        assert client.get(compare_url(then, now)).status_code == 200
    for number in range(40):
        MeasureFactory(focus_area=small.published[0].focus_area, title=f"Ekstra {number:02d}")
    bigger = make_report(title="Rapport mars", snapshot=small_snapshot(small))
    with django_assert_max_num_queries(len(few)):
        response = client.get(compare_url(now, bigger))
    assert response.status_code == 200
    assert response.content.decode().count("Ekstra ") == 40


def test_who_may_compare(
    small: Small, steering: Any, leader: Any, owner: Any, no_role: Any
) -> None:
    then, now = two_reports(small)
    url = compare_url(then, now)

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == login_url(url)
    assert logged_in(owner).get(url).status_code == 403
    assert logged_in(no_role).get(url).status_code == 403
    assert logged_in(steering).get(url).status_code == 200
    assert logged_in(leader).get(url).status_code == 200


def test_an_unknown_or_unissued_report_is_not_found(small: Small, leader: Any) -> None:
    then, now = two_reports(small)
    queued = make_report(state=ReportState.QUEUED, title="I kø")
    client = logged_in(leader)

    base = "/rapporter/{}/sammenlign/{}/"
    assert client.get(base.format(then.pk, 999_999)).status_code == 404
    assert client.get(base.format(999_999, now.pk)).status_code == 404
    assert client.get(base.format(then.pk, queued.pk)).status_code == 404
    assert client.get(base.format(then.pk, then.pk)).status_code == 404


def test_latest_report_pair_is_the_newest_and_the_one_before_of_its_scope(small: Small) -> None:
    assert latest_report_pair() is None
    then, now = two_reports(small)
    make_report(
        title="Kommunerapport",
        scope=Scope.MUNICIPALITY,
        municipality=MunicipalityFactory(name="Evenes"),
        issued_at=dt.datetime(2024, 12, 1, tzinfo=dt.UTC),
    )

    assert latest_report_pair() == (now, then)


def test_min_side_links_the_newest_report_with_the_one_before(small: Small, steering: Any) -> None:
    client = logged_in(steering)
    assert "Sammenlign med forrige rapport" not in client.get("/min-side/").content.decode()
    then, now = two_reports(small)

    html = client.get("/min-side/").content.decode()

    assert f'href="{compare_url(now, then)}">Sammenlign med forrige rapport' in html
