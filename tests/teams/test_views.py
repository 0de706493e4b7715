"""The public pages about municipalities and how the programme is organised."""

from __future__ import annotations

import pytest

from measures.models import Measure
from measures.services import status_update_create
from measures.status import Status
from teams.models import BodyKind
from tests.conftest import (
    ARCHIVED_SLUG,
    DRAFT_SLUG,
    HIDDEN_STRINGS,
    MAX_PAGE_QUERIES,
    MUNICIPALITY_SLUG,
    TEAMS_PAGES,
    TestResponse,
    add_measures,
    assert_query_count_is_constant,
    distribution,
    headings,
    links,
    plain,
    progress_values,
)
from tests.teams.factories import (
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
)

MAX_QUERIES = MAX_PAGE_QUERIES


def text(response: TestResponse) -> str:
    return response.content.decode()


HEADINGS = {
    "/kommuner/": "Kommuner",
    f"/kommuner/{MUNICIPALITY_SLUG}/": "Harstad Hárstták",
    "/organisering/": "Organisering",
}
PAGE_TEXT = {
    "/kommuner/": ["Harstad Hárstták", "Narvik", "Evenes", "Forklaring av statusene"],
    f"/kommuner/{MUNICIPALITY_SLUG}/": [
        "Status for kommunens tiltak",
        "Næringsteamet i kommunen",
        "Kari Nordmann",
        "Tiltak kommunen deltar i",
        "Forklaring av statusene",
    ],
    "/organisering/": [
        "Styringsgruppen",
        "Ola Ordfører",
        "Leder",
        "Næringsteamet",
        "Kari Nordmann",
        "Næringsutvikler",
    ],
}
PAGE_LINKS = {
    "/kommuner/": [
        ("/kommuner/harstad/", "Harstad"),
        ("/kommuner/narvik/", "Narvik"),
        ("/kommuner/evenes/", "Evenes"),
    ],
    f"/kommuner/{MUNICIPALITY_SLUG}/": [
        ("mailto:kari@example.org", "kari@example.org"),
        ("/tiltak/laerlingloftet/", "Lærlingløftet"),
    ],
    "/organisering/": [("/kommuner/harstad/", "Harstad"), ("/kommuner/narvik/", "Narvik")],
}


@pytest.mark.parametrize("url", TEAMS_PAGES)
def test_page_shows_its_content(client, portal, url):
    response = client.get(url)

    assert response.status_code == 200
    body = text(response)
    assert '<html lang="nb">' in body
    assert headings(body) == [HEADINGS[url]]
    for expected in PAGE_TEXT[url]:
        assert expected in plain(body)
    for link in PAGE_LINKS[url]:
        assert link in links(body)
    assert ("/tilgjengelighet/", "Tilgjengelighetserklæring") in links(body)


@pytest.mark.parametrize("url", TEAMS_PAGES)
def test_english_version(client, portal, url):
    response = client.get(f"/en{url}")

    assert response.status_code == 200
    assert '<html lang="en">' in text(response)


@pytest.mark.parametrize("url", [*TEAMS_PAGES, f"/kommuner/{MUNICIPALITY_SLUG}/feed/"])
def test_head(client, portal, url):
    response = client.head(url)

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize(
    "url", ["/kommuner/finnes-ikke/", "/kommuner/finnes-ikke/feed/", "/en/kommuner/finnes-ikke/"]
)
def test_unknown_municipality_is_404(client, portal, url):
    assert client.get(url).status_code == 404


def test_municipality_shows_only_its_own_measures(client, portal):
    evenes = text(client.get("/kommuner/evenes/"))

    assert "Besøksstrategi" in evenes
    assert "Lærlingløftet" not in evenes


def test_municipality_without_measures_says_so(client, portal):
    MunicipalityFactory(name="Lavangen", slug="lavangen")

    body = text(client.get("/kommuner/lavangen/"))

    assert "Ingen publiserte tiltak gjelder bare denne kommunen." in body
    assert "Ingen publiserte tiltak er felles for hele regionen ennå." in body
    assert "Ingen fra næringsteamet er registrert for kommunen." in body


@pytest.mark.parametrize("url", [*TEAMS_PAGES, f"/kommuner/{MUNICIPALITY_SLUG}/feed/"])
def test_hidden_measures_appear_nowhere(client, portal, url):
    body = text(client.get(url))

    for hidden in HIDDEN_STRINGS:
        assert hidden not in body
    assert DRAFT_SLUG not in body
    assert ARCHIVED_SLUG not in body


def test_roll_up_counts_only_public_measures(client, portal):
    # Harstad takes part in one public measure, one draft and one archived measure.
    listing = text(client.get("/kommuner/"))
    harstad = listing.split('href="/kommuner/harstad/"')[1].split("</li>")[0]
    assert "Deltar i 1 tiltak" in harstad

    detail = text(client.get(f"/kommuner/{MUNICIPALITY_SLUG}/"))
    assert distribution(detail) == {Status.ON_TRACK.value: 1}
    assert progress_values(detail, "Samlet framdrift") == [40]


def test_roll_up_follows_the_statuses(client, portal):
    third = Measure.objects.create(
        focus_area=portal.area,
        title="Tredje",
        slug="tredje",
        summary="Tredje tiltak.",
        is_published=True,
    )
    third.municipalities.add(portal.harstad)
    status_update_create(measure=third, status=Status.DELAYED, progress=20, comment="Sent.")

    detail = text(client.get(f"/kommuner/{MUNICIPALITY_SLUG}/"))

    assert distribution(detail) == {Status.ON_TRACK.value: 1, Status.DELAYED.value: 1}
    # (40 + 20) / 2
    assert progress_values(detail, "Samlet framdrift") == [30]


def test_user_text_is_escaped(client, portal):
    portal.responsible.name = "Kari <script>alert(1)</script>"
    portal.responsible.save()

    for url in TEAMS_PAGES:
        body = text(client.get(url))
        assert "<script>alert" not in body
    assert "Kari &lt;script&gt;" in text(client.get("/organisering/"))


QUERY_COUNTED = [*TEAMS_PAGES, f"/kommuner/{MUNICIPALITY_SLUG}/feed/"]


@pytest.mark.parametrize("url", QUERY_COUNTED)
def test_query_count_is_small_and_constant(
    client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
):
    assert_query_count_is_constant(
        client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
    )


def test_query_count_with_many_people(
    client, portal, settings, django_assert_max_num_queries, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get("/organisering/")

    team = BodyFactory(kind=BodyKind.BUSINESS_TEAM)
    for _ in range(15):
        MembershipFactory(body=team, person=PersonFactory(municipality=portal.harstad))
    with django_assert_num_queries(len(few)):
        client.get("/organisering/")
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(f"/kommuner/{MUNICIPALITY_SLUG}/")


def test_a_municipality_with_many_measures_shows_the_latest_and_links_to_all(client, portal):
    # Each takes part in Harstad: a third alone, a third with Narvik, a third with all three.
    extra = add_measures(portal, 63)
    public = list(Measure.objects.public().filter(municipalities=portal.harstad))
    parts = {
        "own": [m for m in public if m.municipalities.count() == 1],
        "shared": [m for m in public if m.municipalities.count() == 2],
        "region": [m for m in public if m.municipalities.count() == 3],
    }
    assert [len(p) for p in parts.values()] == [21, 22, 21]

    body = text(client.get(f"/kommuner/{MUNICIPALITY_SLUG}/"))
    html = {
        "own": body.split('id="own-heading"')[1].split('id="shared-heading"')[0],
        "shared": body.split('id="shared-heading"')[1].split('id="region-heading"')[0],
        "region": body.split('id="region-heading"')[1],
    }

    assert (
        "Kommunen deltar i 64 tiltak: 21 bare for kommunen, 22 sammen med noen av de andre "
        "kommunene og 21 felles for hele regionen."
    ) in plain(body)
    for name, measures in parts.items():
        assert f"Her er de 20 sist oppdaterte av {len(measures)}." in html[name]
        newest_first = [
            m.title
            for m in sorted(measures, key=lambda m: m.last_status_update_at or 0, reverse=True)
        ]
        assert [title for title in newest_first if title in html[name]] == newest_first[:20]
    assert f'href="/tiltak/?kommune={MUNICIPALITY_SLUG}"' in body
    assert extra[-1].title not in body  # the oldest of its part


def test_a_municipality_page_tells_its_own_measures_from_the_shared_ones(client, portal):
    portal.other_measure.municipalities.set([portal.harstad])
    body = text(client.get(f"/kommuner/{MUNICIPALITY_SLUG}/"))

    own_part = body.split('id="own-heading"')[1].split('id="shared-heading"')[0]
    shared_part = body.split('id="shared-heading"')[1].split('id="region-heading"')[0]
    assert "Tiltak bare for Harstad" in own_part
    assert "Besøksstrategi" in own_part and "Besøksstrategi" not in shared_part
    assert "Lærlingløftet" in shared_part and "Lærlingløftet" not in own_part


def test_a_municipality_with_few_measures_lists_them_all(client, portal):
    body = text(client.get("/kommuner/evenes/"))

    assert "Besøksstrategi" in body
    assert "sist oppdaterte av" not in body
