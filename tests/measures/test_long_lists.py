"""Pages whose lists grow with the plan show a fixed number and say how many there are, with a
link to the measure list that holds them all."""

from __future__ import annotations

import pytest
from django.test import Client

from measures.views.pages import FOCUS_AREA_MEASURES, SAME_GOAL_MEASURES
from tests.conftest import AREA_SLUG, MEASURE_SLUG, Portal, add_measures

pytestmark = pytest.mark.django_db


def _cards(html: str) -> int:
    return html.count('<article class="measure-card">')


def test_a_focus_area_shows_its_first_measures_per_goal_and_how_many(
    client: Client, portal: Portal
) -> None:
    add_measures(portal, 60)  # 30 for the portal's goal in its area, 30 in the other area
    html = client.get(f"/satsingsomrader/{AREA_SLUG}/").content.decode()
    in_goal = portal.goal.measures.filter(is_published=True, archived_at__isnull=True).count()
    assert in_goal > FOCUS_AREA_MEASURES
    assert _cards(html) == FOCUS_AREA_MEASURES
    assert f"Viser {FOCUS_AREA_MEASURES} av {in_goal}." in html
    assert f'href="/tiltak/?omrade={AREA_SLUG}"' in html


def test_a_short_focus_area_shows_every_measure_without_a_note(
    client: Client, portal: Portal
) -> None:
    html = client.get(f"/satsingsomrader/{AREA_SLUG}/").content.decode()
    assert _cards(html) >= 1
    assert "Viser " not in html


def test_a_measure_names_the_first_others_for_its_goal_and_how_many(
    client: Client, portal: Portal
) -> None:
    add_measures(portal, 40)  # 20 more for the portal measure's goal
    others = (
        portal.goal.measures.filter(is_published=True, archived_at__isnull=True)
        .exclude(pk=portal.measure.pk)
        .count()
    )
    html = client.get(f"/tiltak/{MEASURE_SLUG}/").content.decode()
    same_goal = html.split('id="same-goal-heading"', 1)[1].split("</section>", 1)[0]
    assert same_goal.count("<li>") == SAME_GOAL_MEASURES
    assert f"Viser {SAME_GOAL_MEASURES} av {others}." in same_goal
