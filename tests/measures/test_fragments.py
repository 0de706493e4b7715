"""Fragments rendered once for what they show: a card follows every value it shows, never a stale
copy; slug URLs are what `reverse` gives."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString

from drivkraft.core.fragments import FragmentMemo, fragments
from drivkraft.core.reversing import slug_url
from tests.conftest import MEASURE_SLUG, Portal

pytestmark = pytest.mark.django_db


def _list_page(client: Client) -> str:
    response = client.get("/tiltak/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (
            lambda p: setattr(p.measure, "title", "Nytt navn på tiltaket ABC"),
            "Nytt navn på tiltaket ABC",
        ),
        (
            lambda p: setattr(p.measure, "summary", "Et nytt sammendrag DEF"),
            "Et nytt sammendrag DEF",
        ),
        (lambda p: setattr(p.measure, "progress", 77), "77&nbsp;%"),
        (lambda p: setattr(p.area, "name", "Kompetanseløft GHI"), "Kompetanseløft GHI"),
        (lambda p: setattr(p.responsible, "name", "Ola Ansvarlig JKL"), "Ola Ansvarlig JKL"),
        (lambda p: setattr(p.harstad, "name", "Harstad MNO"), "Harstad MNO"),
    ],
)
def test_a_card_follows_every_value_it_shows(
    client: Client, portal: Portal, change: Callable[[Portal], None], shown: str
) -> None:
    """A card is kept under everything it is made from: after a change to the measure or to a
    related object it shows, the next page shows the change, though the card was rendered
    before (the page cache is keyed by the content revision; these are not)."""
    before = _list_page(client)
    assert shown not in before
    assert len(fragments) > 0
    change(portal)
    for obj in (portal.measure, portal.area, portal.responsible, portal.harstad):
        obj.save()
    assert shown in _list_page(client)


def test_cards_are_rendered_once_per_language(client: Client, portal: Portal) -> None:
    _list_page(client)
    count = len(fragments)
    _list_page(client)
    assert len(fragments) == count  # the same cards again: nothing new rendered
    english = client.get("/en/tiltak/").content.decode()
    assert len(fragments) > count
    assert 'href="/en/tiltak/' in english
    assert ' lang="nb"' in english  # the content's language marked on the English page


def test_the_memo_is_bounded_and_drops_the_least_recently_used() -> None:
    memo = FragmentMemo(max_entries=2)
    memo.set(b"a", SafeString("A"))
    memo.set(b"b", SafeString("B"))
    assert memo.get(b"a") == "A"  # now the most recently used
    memo.set(b"c", SafeString("C"))
    assert (memo.get(b"a"), memo.get(b"b"), memo.get(b"c")) == ("A", None, "C")
    assert len(memo) == 2


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    "viewname",
    ["measures:measure_detail", "measures:focus_area_detail", "measures:municipality_detail"],
)
def test_slug_urls_are_what_reverse_gives(viewname: str, language: str) -> None:
    with translation.override(language):
        for slug in (MEASURE_SLUG, "a-b_c-123", "x"):
            assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})
