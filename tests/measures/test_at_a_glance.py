"""«How is it going?» at a glance: the home page's counts first, what needs attention, measure
cards with their deadlines and owners, the filters behind «Filtrer», and the smaller fixes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from drivkraft.core.revision import content_changed
from measures import selectors
from measures.models import Measure
from measures.selectors import ATTENTION_SOURCES, AttentionReason, needs_attention
from measures.services import status_update_create
from measures.status import Status
from tests.conftest import (
    MEASURE_SLUG,
    OTHER_MEASURE_SLUG,
    TestResponse,
    add_measures,
    links,
    parse_tags,
    plain,
)


def text(response: TestResponse) -> str:
    assert response.status_code == 200
    return response.content.decode()


def words(html: str) -> str:
    """The text as a reader sees it: no space that a tag boundary made before a comma or stop."""
    return plain(html).replace(" ,", ",").replace(" .", ".")


@pytest.fixture(autouse=True)
def _on_plan(portal):
    """Both public measures end in the future, as planned: nothing is behind to begin with."""
    future = timezone.localdate() + dt.timedelta(days=400)
    Measure.objects.filter(pk__in=[portal.measure.pk, portal.other_measure.pk]).update(
        planned_end=future, forecast_end=None
    )
    content_changed()


def delay(measure: Measure, *, planned: dt.date, forecast: dt.date | None = None) -> None:
    Measure.objects.filter(pk=measure.pk).update(planned_end=planned, forecast_end=forecast)
    content_changed()


# --- The home page ----------------------------------------------------------------------------


def test_the_counts_come_right_after_the_title(client, portal):
    body = plain(text(client.get("/")))

    title = body.index("Program Drivkraft Testprogram")
    assert title < body.index("Slik går det") < body.index("Trenger oppmerksomhet")
    assert body.index("Trenger oppmerksomhet") < body.index("Prosjektmål")
    assert body.index("Prosjektmål") < body.index("Delmål om felles kompetanseløft")


def test_each_count_links_to_its_measures(client, portal):
    body = text(client.get("/"))
    hrefs = {href for href, _text in links(body)}

    assert "/tiltak/" in hrefs
    for status in Status:
        assert f"/tiltak/?status={status.value}" in hrefs
    # The link shows what it counts: the number and the status.
    assert ("/tiltak/?status=etter-plan", "1 ◐ Under arbeid etter plan") in links(body)
    assert ("/tiltak/", "2 tiltak i alt") in links(body)


def test_nothing_needs_attention(client, portal):
    body = plain(text(client.get("/")))

    assert (
        "Ingen tiltak ligger bak planen, ingen milepæler er forsinket, og ingen beslutninger "
        "venter nå." in body
    )


def test_delayed_measures_need_attention(client, portal):
    today = timezone.localdate()
    # Expected after its planned end: behind plan.
    delay(portal.measure, planned=today + dt.timedelta(days=30), forecast=today.replace(year=2099))
    # Past its planned end, not completed: late.
    delay(portal.other_measure, planned=today - dt.timedelta(days=1))

    body = text(client.get("/"))
    part = plain(body.split('id="attention-heading"')[1].split("</section>")[0])

    assert "2 saker trenger oppmerksomhet" in part
    assert part.index("Besøksstrategi") < part.index("Lærlingløftet")  # the most overdue first
    assert "Planlagt slutt er passert" in part
    assert "Forsinket" in part
    assert "senere enn planlagt" in part
    assert (f"/tiltak/{MEASURE_SLUG}/", "Lærlingløftet") in links(body)


def test_completed_and_stopped_measures_need_no_attention(client, portal):
    today = timezone.localdate()
    delay(portal.measure, planned=today - dt.timedelta(days=10))
    status_update_create(measure=portal.measure, status=Status.COMPLETED, progress=100)
    delay(portal.other_measure, planned=today - dt.timedelta(days=10))
    status_update_create(
        measure=portal.other_measure, status=Status.STOPPED, progress=0, comment="Stanset."
    )

    assert needs_attention(today=today).items == []


def test_a_measure_said_to_be_delayed_needs_attention(client, portal):
    status_update_create(
        measure=portal.measure, status=Status.DELAYED, progress=40, comment="Venter på midler."
    )

    (item,) = needs_attention(today=timezone.localdate()).items
    assert item.reason == AttentionReason.DELAYED
    assert item.url == f"/tiltak/{MEASURE_SLUG}/"


def test_the_home_page_names_a_few_and_links_to_the_rest(client, portal):
    add_measures(portal, 40)  # every fourth is delayed; all are expected after their plan

    attention = needs_attention(today=timezone.localdate(), limit=8)
    body = text(client.get("/"))

    assert len(attention.items) == 8 and attention.total > 8
    assert body.count('class="attention__item"') == 8
    assert "/tiltak/?status=forsinket&amp;sortering=frist" in body


def test_needs_attention_is_one_selector_with_a_source_per_kind():
    """Late milestones and pending decisions are more sources of the same selector."""
    assert [source.__name__ for source in ATTENTION_SOURCES] == [
        "_delayed_measures",
        "_late_milestones",
        "_pending_decisions",
    ]
    assert selectors.needs_attention is needs_attention


# --- Measure cards ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/tiltak/", "/kommuner/harstad/", "/satsingsomrader/kompetanse/"])
def test_cards_show_the_deadline_and_the_owner(client, portal, url):
    delay(portal.measure, planned=dt.date(2026, 12, 31), forecast=dt.date(2027, 3, 1))

    card = words(text(client.get(url)).split('class="measure-card"')[1].split("</article>")[0])

    assert "Planlagt slutt 31. desember 2026, forventet 1. mars 2027 – senere enn planlagt" in card
    assert "Ansvarlig: Kari Nordmann, Harstad" in card


def test_a_card_says_when_the_forecast_is_earlier(client, portal):
    delay(portal.measure, planned=dt.date(2026, 12, 31), forecast=dt.date(2026, 6, 1))

    body = words(text(client.get("/tiltak/")))

    assert (
        "Planlagt slutt 31. desember 2026, forventet 1. juni 2026 – tidligere enn planlagt" in body
    )


def test_a_card_with_the_forecast_as_planned_names_one_date(client, portal):
    delay(portal.measure, planned=dt.date(2026, 12, 31), forecast=dt.date(2026, 12, 31))

    body = plain(text(client.get("/tiltak/")))

    assert "Planlagt slutt 31. desember 2026" in body
    assert "forventet 31. desember" not in body


def test_progress_bars_say_what_they_measure(client, portal):
    body = plain(text(client.get("/")))

    assert "20 % samlet framdrift" in body
    assert "40 % framdrift" in plain(text(client.get("/tiltak/")))


# --- The filters behind «Filtrer» ---------------------------------------------------------------


def details_of(body: str) -> dict[str, str | None]:
    return next(
        attrs
        for tag, attrs in parse_tags(body)
        if tag == "details" and "filter-panel" in (attrs.get("class") or "")
    )


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/"])
def test_without_filters_the_form_is_folded_away(client, portal, path):
    body = text(client.get(path))

    assert "open" not in details_of(body)
    assert "Filtrer" in plain(body.split('class="filter-panel__summary"')[1].split("</summary>")[0])
    # The first result comes before the form's fields in reading order only when folded: the
    # form is inside the folded <details>.
    assert (
        body.index('class="filter-panel"') < body.index('id="filter-q"') < body.index("</details>")
    )


@pytest.mark.parametrize(
    ("query", "count"),
    [("status=etter-plan", 1), ("kommune=harstad&kommune=narvik&q=l", 3), ("omrade=kompetanse", 1)],
)
def test_chosen_filters_keep_the_form_open_and_are_counted(client, portal, query, count):
    body = text(client.get(f"/tiltak/?{query}"))

    assert "open" in details_of(body)
    summary = plain(body.split('class="filter-panel__summary">')[1].split("</summary>")[0])
    assert summary == f"Filtrer ({count} valgt)"


def test_htmx_updates_the_count_of_chosen_filters(client, portal):
    body = text(
        client.get("/tiltak/?status=etter-plan&status=forsinket", headers={"HX-Request": "true"})
    )

    count = [attrs for tag, attrs in parse_tags(body) if attrs.get("id") == "filter-count"]
    assert count == [
        {"id": "filter-count", "class": "filter-panel__count", "data-hx-swap-oob": "true"}
    ]
    assert "(2 valgt)" in body


# --- The measure page ---------------------------------------------------------------------------


def test_related_measures_are_not_repeated_under_the_same_goal(client, portal):
    (same_goal, other_goal) = add_measures(portal, 2)  # same_goal shares the goal (n odd? no)
    for extra in (same_goal, other_goal):
        portal.measure.related.add(extra)
    content_changed()
    sharing = same_goal if same_goal.goal_id == portal.measure.goal_id else other_goal
    not_sharing = other_goal if sharing is same_goal else same_goal

    body = text(client.get(f"/tiltak/{MEASURE_SLUG}/"))
    related = body.split('id="related-heading"')[1].split("</section>")[0]
    same = body.split('id="same-goal-heading"')[1].split("</section>")[0]

    assert sharing.title in same and sharing.title not in related
    assert not_sharing.title in related


def test_the_responsible_persons_organisation_is_named_once(client, portal):
    portal.responsible.title = "Daglig leder, Hålogalandsrådet"
    portal.responsible.save()

    body = plain(text(client.get(f"/tiltak/{MEASURE_SLUG}/")))

    assert body.count("Hålogalandsrådet") == body.count("Hålogalandsrådet") and (
        "Kari Nordmann, Daglig leder, Hålogalandsrådet Harstad" in body
    )
    assert "(Hålogalandsrådet)" not in body


def test_the_organisation_is_named_when_the_title_does_not(client, portal):
    portal.responsible.title = "Rådgiver"
    portal.responsible.save()

    body = plain(text(client.get(f"/tiltak/{MEASURE_SLUG}/")))

    assert "Kari Nordmann, Rådgiver (Hålogalandsrådet)" in body


# --- English pages, the accessibility statement ---------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/en/", "/en/tiltak/", f"/en/tiltak/{MEASURE_SLUG}/", "/en/data/"]
)
def test_english_pages_say_the_content_is_norwegian(client, portal, path):
    body = text(client.get(path))

    notice = body.split('class="language-notice"')[1].split("</p>")[0]
    assert "The content" in notice and "is written in Norwegian" in notice
    assert 'lang="nb"' in notice  # the link to the Norwegian page is marked as Norwegian


@pytest.mark.parametrize("path", ["/", "/tiltak/", "/data/"])
def test_norwegian_pages_have_no_such_notice(client, portal, path):
    assert "language-notice" not in text(client.get(path))


def test_the_english_data_page_explains_the_fields_in_english(client, portal):
    body = plain(text(client.get("/en/data/")))

    assert "The measure's permanent ID (used in its address)" in body
    assert "Tiltakets faste ID" not in body


def test_the_accessibility_statement(client, portal, settings):
    body = text(client.get("/tilgjengelighet/"))

    assert ("mailto:tilgjengelighet@example.org", "tilgjengelighet@example.org") in links(body)
    assert (
        "https://uustatus.no/nb/erklaringer/publisert/eksempel",
        "Les erklæringen slik den er publisert på uustatus.no",
    ) in links(body)
    assert 'datetime="2026-11-29"' in body
    assert "Erklæringen ble sist gjennomgått 29. november 2026." in words(body)


def test_the_accessibility_statement_without_its_settings(client, portal, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    body = text(client.get("/tilgjengelighet/"))

    assert ("https://uustatus.no/", "uustatus.no") in links(body)
    assert "mailto:" not in body


def test_other_measure_slug_is_still_listed(client, portal):
    assert OTHER_MEASURE_SLUG in text(client.get("/tiltak/"))
