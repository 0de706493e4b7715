"""The public pages of the plan: content, hidden measures, filters, htmx, query counts, safety."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from drivkraft.core.markdown import render_markdown
from drivkraft.core.revision import content_changed
from measures.filters import PAGE_SIZE, SORTS
from measures.models import Measure
from measures.services import status_update_create
from measures.status import Status
from measures.views import EXPORT_FIELDS
from tests.conftest import (
    ARCHIVED_SLUG,
    AREA_SLUG,
    DRAFT_SLUG,
    EXPORTS,
    FEEDS,
    HIDDEN_STRINGS,
    MAX_PAGE_QUERIES,
    MEASURE_SLUG,
    MEASURES_PAGES,
    OTHER_AREA_SLUG,
    PUBLIC_URLS,
    TestResponse,
    add_measures,
    assert_query_count_is_constant,
    headings,
    links,
    parse_tags,
    plain,
    progress_values,
)
from tests.measures.factories import MeasureFactory

MAX_QUERIES = MAX_PAGE_QUERIES
MEASURE_HREF = re.compile(r"(?:/en)?/tiltak/([\w-]+)/")
NO_MEASURES = "Ingen tiltak passer med filtrene du har valgt."
NO_UPDATES = "Ingen oppdateringer passer med filtrene du har valgt."
LEGEND = "Forklaring av statusene"


def text(response: TestResponse) -> str:
    return response.content.decode()


def has_notice(html: str) -> bool:
    """The page shows a note about ignored filters (announced to screen readers)."""
    return any(attrs.get("role") == "alert" for _tag, attrs in parse_tags(html))


class _FormState(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.select: str | None = None
        self.chosen: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "select":
            self.select = values.get("name")
        elif tag == "option" and "selected" in values and self.select:
            self.chosen.add((self.select, values.get("value") or ""))
        elif tag == "input" and values.get("type") == "checkbox" and "checked" in values:
            self.chosen.add((values["name"] or "", values["value"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None


def chosen(html: str) -> set[tuple[str, str]]:
    """The (name, value) pairs the filter form shows as selected or checked."""
    state = _FormState()
    state.feed(html)
    return state.chosen


def search_box(html: str) -> str | None:
    """The value of the search field as the page shows it."""
    for tag, attrs in parse_tags(html):
        if tag == "input" and attrs.get("name") == "q":
            return attrs.get("value") or ""
    return None


def listed(response: TestResponse) -> list[str]:
    """The slugs of the measures the page links to, in page order, each once."""
    slugs = []
    for tag, attrs in parse_tags(text(response)):
        match = MEASURE_HREF.fullmatch(attrs.get("href") or "") if tag == "a" else None
        if match and match.group(1) not in slugs:
            slugs.append(match.group(1))
    return slugs


# --- Every page answers ---------------------------------------------------------------------

HEADINGS = {
    "/": "Program Drivkraft Testprogram",
    "/tiltak/": "Tiltak",
    f"/tiltak/{MEASURE_SLUG}/": "Lærlingløftet",
    "/satsingsomrader/": "Satsingsområder",
    f"/satsingsomrader/{AREA_SLUG}/": "Kompetanse",
    "/oppdateringer/": "Statusoppdateringer",
    "/data/": "Åpne data",
    "/tilgjengelighet/": "Tilgjengelighetserklæring",
}
PAGE_TEXT = {
    "/": [
        "Prosjektmål",
        "Styrke næringslivet i regionen gjennom kommunesamarbeid.",
        "Delmål om felles kompetanseløft",
        "Slik går det",
        "Siste statusoppdateringer",
        "Godt i gang med rekrutteringen.",
        "Kommunene i samarbeidet",
    ],
    "/tiltak/": ["2 tiltak funnet"],
    f"/tiltak/{MEASURE_SLUG}/": [
        "Under arbeid etter plan",
        "Flere lærlinger i små bedrifter.",
        "Vi vil ha flere lærlinger",
        "Samarbeid med skolene.",
        "50 nye lærlingplasser.",
        "Flere fagarbeidere i regionen",
        "Kari Nordmann",
        "UiT Norges arktiske universitet",
        "Nye lærlingplasser",
        "Historikk",
        "Godt i gang med rekrutteringen.",
        "Planlagt periode",
        "Forventet slutt",
    ],
    "/satsingsomrader/": ["Flere fagarbeidere i regionen", "Helårsturisme"],
    f"/satsingsomrader/{AREA_SLUG}/": [
        "Kompetanse for arbeidslivet.",
        "Flere fagarbeidere i regionen",
        "Fagbrev i regionen",
    ],
    "/oppdateringer/": ["Godt i gang med rekrutteringen."],
    "/data/": [
        "CC BY 4.0",
        *[f"{name} {meaning}" for name, meaning in EXPORT_FIELDS],
        *[status.value for status in Status],
    ],
    "/tilgjengelighet/": ["WCAG 2.1"],
}
PAGE_LINKS = {
    "/": [
        ("/satsingsomrader/kompetanse/", "Kompetanse"),
        ("/satsingsomrader/reiseliv/", "Reiseliv"),
        ("/kommuner/harstad/", "Harstad"),
        ("/kommuner/narvik/", "Narvik"),
        ("/tiltak/laerlingloftet/", "Lærlingløftet"),  # in the latest updates
    ],
    "/tiltak/": [
        ("/tiltak/laerlingloftet/", "Lærlingløftet"),
        ("/tiltak/besoksstrategi/", "Besøksstrategi"),
    ],
    f"/tiltak/{MEASURE_SLUG}/": [
        ("/satsingsomrader/kompetanse/", "Kompetanse"),
        ("/kommuner/harstad/", "Harstad"),
        ("/kommuner/narvik/", "Narvik"),
        ("mailto:kari@example.org", "kari@example.org"),
    ],
    "/satsingsomrader/": [
        ("/satsingsomrader/kompetanse/", "Kompetanse"),
        ("/satsingsomrader/reiseliv/", "Reiseliv"),
    ],
    f"/satsingsomrader/{AREA_SLUG}/": [("/tiltak/laerlingloftet/", "Lærlingløftet")],
    "/oppdateringer/": [("/tiltak/laerlingloftet/", "Lærlingløftet")],
    "/data/": [("/data/tiltak.csv", "tiltak.csv"), ("/data/tiltak.json", "tiltak.json")],
    "/tilgjengelighet/": [],
}


@pytest.mark.parametrize("url", MEASURES_PAGES)
def test_page_shows_its_content(client, portal, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    body = text(response)
    assert '<html lang="nb">' in body
    assert headings(body) == [HEADINGS[url]]
    for expected in PAGE_TEXT[url]:
        assert expected in plain(body)
    for link in PAGE_LINKS[url]:
        assert link in links(body)
    # The accessibility statement is linked in every footer.
    assert ("/tilgjengelighet/", "Tilgjengelighetserklæring") in links(body)


def test_focus_area_page_shows_only_its_own_measures(client, portal):
    body = text(client.get(f"/satsingsomrader/{OTHER_AREA_SLUG}/"))

    assert "Besøksstrategi" in body
    assert "Lærlingløftet" not in body


@pytest.mark.parametrize("url", MEASURES_PAGES)
def test_english_version(client, portal, url):
    response = client.get(f"/en{url}")

    assert response.status_code == 200
    assert '<html lang="en">' in text(response)
    assert len(headings(text(response))) == 1


def test_language_switch_keeps_the_page_and_its_filters(client, portal):
    body = text(client.get("/tiltak/?omrade=kompetanse&status=etter-plan"))

    english = [attrs["href"] for tag, attrs in parse_tags(body) if attrs.get("hreflang") == "en"]
    assert english == ["/en/tiltak/?omrade=kompetanse&status=etter-plan"]


@pytest.mark.parametrize("url", [*MEASURES_PAGES, *FEEDS, *EXPORTS, "/healthz"])
def test_head(client, portal, url):
    get = client.get(url)
    head = client.head(url)

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


@pytest.mark.parametrize(
    "url",
    [
        "/tiltak/finnes-ikke/",
        "/tiltak/finnes-ikke/feed/",
        "/satsingsomrader/finnes-ikke/",
        "/satsingsomrader/finnes-ikke/feed/",
        "/en/tiltak/finnes-ikke/",
        "/tiltak/%C3%A6%C3%B8%C3%A5/",
        "/finnes-ikke/",
    ],
)
def test_unknown_address_is_404(client, portal, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_only_answer_safe_methods(client, portal, method):
    assert getattr(client, method)("/tiltak/").status_code == 405


def test_healthz(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


# --- Drafts and archived measures are never visible ------------------------------------------


@pytest.mark.parametrize("slug", [DRAFT_SLUG, ARCHIVED_SLUG])
@pytest.mark.parametrize("template", ["/tiltak/{}/", "/tiltak/{}/feed/", "/en/tiltak/{}/"])
def test_hidden_measure_has_no_page_nor_feed(client, portal, slug, template):
    assert client.get(template.format(slug)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        *PUBLIC_URLS,
        "/tiltak/?sortering=oppdatert",
        "/oppdateringer/?kommune=harstad",
        "/data/tiltak.csv?kommune=harstad",
        f"/satsingsomrader/{OTHER_AREA_SLUG}/",
    ],
)
def test_hidden_measures_appear_nowhere(client, portal, url):
    body = text(client.get(url))

    for hidden in HIDDEN_STRINGS:
        assert hidden not in body
    assert DRAFT_SLUG not in body
    assert ARCHIVED_SLUG not in body


@pytest.mark.parametrize("q", ["XYZZY", "PLUGH", "Hemmelig", "Arkivert"])
def test_searching_for_a_hidden_measure_finds_nothing(client, portal, q):
    response = client.get("/tiltak/", {"q": q})

    assert listed(response) == []
    assert NO_MEASURES in text(response)


def test_counts_leave_hidden_measures_out(client, portal):
    # Harstad takes part in one public, one draft and one archived measure.
    assert "2 tiltak i alt" in plain(text(client.get("/")))
    assert "1 tiltak funnet" in plain(text(client.get("/tiltak/?kommune=harstad")))
    areas = plain(text(client.get("/satsingsomrader/")))
    assert areas.count(" 1 tiltak ") == 2


def test_hidden_measure_does_not_count_in_the_focus_area_progress(client, portal):
    Measure.objects.filter(pk=portal.draft.pk).update(progress=100)
    content_changed()

    body = text(client.get(f"/satsingsomrader/{AREA_SLUG}/"))

    assert progress_values(body, "Samlet framdrift") == [40]


# --- Filters ------------------------------------------------------------------------------------


@pytest.fixture
def filtered(portal):
    """A (kompetanse, Harstad+Narvik, on track), B (reiseliv, Evenes, not started) and
    C (reiseliv, Harstad, delayed, "fiber"); each with a status update."""
    third = MeasureFactory(
        focus_area=portal.other_area,
        goal=None,
        title="Fiberutbygging",
        slug="fiberutbygging",
        summary="Raskt nett i hele regionen.",
    )
    third.municipalities.add(portal.harstad)
    status_update_create(
        measure=third, status=Status.DELAYED, progress=20, comment="Venter på leverandør."
    )
    status_update_create(
        measure=portal.other_measure, status=Status.NOT_STARTED, progress=0, comment="Planlegges."
    )
    return portal


A, B, C = MEASURE_SLUG, "besoksstrategi", "fiberutbygging"
FILTER_CASES = [
    ("", {A, B, C}),
    ("omrade=kompetanse", {A}),
    ("omrade=reiseliv", {B, C}),
    ("kommune=harstad", {A, C}),
    ("kommune=evenes", {B}),
    ("kommune=narvik&kommune=evenes", {A, B}),
    ("kommune=harstad&kommune=harstad", {A, C}),
    ("status=etter-plan", {A}),
    ("status=etter-plan&status=forsinket", {A, C}),
    ("status=gjennomfort", set()),
    ("q=fiber", {C}),
    ("q=Kompetanse", {A}),  # the focus area's name
    ("q=lærlinger+små", {A}),  # every word must match
    ("q=lærlinger+fiber", set()),
    ("omrade=reiseliv&kommune=harstad", {C}),
    ("omrade=reiseliv&status=ikke-startet", {B}),
    ("omrade=reiseliv&kommune=harstad&status=forsinket&q=nett", {C}),
    ("omrade=kompetanse&status=forsinket", set()),
    ("omrade=&kommune=&status=&q=", {A, B, C}),  # an empty form
]


@pytest.mark.parametrize(("query", "expected"), FILTER_CASES)
def test_measure_list_filters(client, filtered, query, expected):
    response = client.get(f"/tiltak/?{query}")

    assert response.status_code == 200
    assert set(listed(response)) == expected
    assert len(listed(response)) == len(expected)
    assert f"{len(expected)} tiltak funnet" in plain(text(response))


@pytest.mark.parametrize(("query", "expected"), FILTER_CASES)
def test_update_list_filters(client, filtered, query, expected):
    response = client.get(f"/oppdateringer/?{query}")

    assert response.status_code == 200
    assert set(listed(response)) == expected


@pytest.mark.parametrize(
    ("url", "empty_text", "clear_url"),
    [
        ("/tiltak/?status=gjennomfort", NO_MEASURES, "/tiltak/"),
        ("/tiltak/?q=finnes+ikke", NO_MEASURES, "/tiltak/"),
        ("/oppdateringer/?status=gjennomfort", NO_UPDATES, "/oppdateringer/"),
    ],
)
def test_empty_result_says_so_and_offers_to_clear(client, filtered, url, empty_text, clear_url):
    body = text(client.get(url))

    assert empty_text in plain(body)
    assert any(
        href == clear_url and label.startswith("Fjern alle filtrene") for href, label in links(body)
    )


def test_filter_form_shows_the_chosen_filters(client, filtered):
    body = text(client.get("/tiltak/?omrade=reiseliv&kommune=harstad&status=forsinket&q=nett"))

    assert chosen(body) == {
        ("omrade", "reiseliv"),
        ("sortering", "omrade"),
        ("kommune", "harstad"),
        ("status", "forsinket"),
    }
    assert search_box(body) == "nett"
    # The export links carry the same filters.
    hrefs = [attrs.get("href") or "" for tag, attrs in parse_tags(body) if tag == "a"]
    query = "?omrade=reiseliv&kommune=harstad&status=forsinket&q=nett"
    assert f"/data/tiltak.csv{query}" in hrefs
    assert f"/data/tiltak.json{query}" in hrefs


# The sort orders as the visitor is promised them, written out independently of the selectors.
STATUS_RANK = ["ikke-startet", "etter-plan", "forsinket", "gjennomfort", "stanset"]
SORT_KEYS = {
    "omrade": lambda m: (m.focus_area.order, m.focus_area.name, m.title),
    "tittel": lambda m: (m.title,),
    "status": lambda m: (STATUS_RANK.index(m.status), m.title),
    "framdrift": lambda m: (-m.progress, m.title),
    "oppdatert": lambda m: (
        m.last_status_update_at is None,
        -m.last_status_update_at.timestamp() if m.last_status_update_at else 0,
        m.title,
    ),
    "frist": lambda m: (m.planned_end is None, m.planned_end or dt.date.min, m.title),
}


@pytest.fixture
def sortable(portal):
    add_measures(portal, 8)
    MeasureFactory(
        focus_area=portal.other_area,
        goal=None,
        title="Uten frist",
        slug="uten-frist",
        planned_start=None,
        planned_end=None,
        status=Status.ON_TRACK,
        progress=40,
    )
    return portal


def expected_order(sort: str) -> list[str]:
    measures = Measure.objects.public().select_related("focus_area")
    return [m.slug for m in sorted(measures, key=SORT_KEYS[sort])]


def test_every_sort_key_is_tested():
    assert set(SORT_KEYS) == set(SORTS)


@pytest.mark.parametrize("sort", list(SORTS))
def test_sorting(client, sortable, sort):
    expected = expected_order(sort)
    assert len(expected) == 11

    assert listed(client.get("/tiltak/", {"sortering": sort})) == expected
    csv_slugs = [
        line.split(",")[0]
        for line in client.get("/data/tiltak.csv", {"sortering": sort})
        .content.decode("utf-8-sig")
        .splitlines()[1:]
    ]
    assert csv_slugs == expected


def test_default_sort_is_by_focus_area(client, sortable):
    assert listed(client.get("/tiltak/")) == expected_order("omrade")


def test_sorting_combines_with_filters(client, sortable):
    response = client.get("/tiltak/", {"sortering": "framdrift", "omrade": OTHER_AREA_SLUG})

    expected = [
        slug
        for slug in expected_order("framdrift")
        if Measure.objects.get(slug=slug).focus_area.slug == OTHER_AREA_SLUG
    ]
    assert listed(response) == expected
    assert ("sortering", "framdrift") in chosen(text(response))


@pytest.fixture
def paged(portal):
    add_measures(portal, 2 * PAGE_SIZE + 3)  # 45 public measures: 20 + 20 + 5
    return expected_order("tittel")


@pytest.mark.parametrize(
    ("side", "start", "stop"), [("", 0, 20), ("1", 0, 20), ("2", 20, 40), ("3", 40, 45)]
)
def test_pagination(client, paged, side, start, stop):
    response = client.get("/tiltak/", {"sortering": "tittel", "side": side})

    assert listed(response) == paged[start:stop]
    assert "45 tiltak funnet" in plain(text(response))


def test_pagination_links_keep_the_filters(client, paged):
    body = text(client.get("/tiltak/", {"sortering": "tittel", "status": "stanset", "side": "1"}))
    assert "Side 1 av" not in plain(body)  # 11 stopped measures fit on one page

    body = text(client.get("/tiltak/", {"sortering": "tittel", "side": "2"}))
    assert "Side 2 av 3" in plain(body)
    links = {attrs.get("rel"): attrs.get("href") for tag, attrs in parse_tags(body) if tag == "a"}
    assert links["prev"] == "?sortering=tittel"
    assert links["next"] == "?sortering=tittel&side=3"


def test_update_list_is_paginated_newest_first(client, paged):
    first = text(client.get("/oppdateringer/"))
    second = text(client.get("/oppdateringer/", {"side": "2"}))

    ids = [re.findall(r'id="oppdatering-(\d+)"', page) for page in (first, second)]
    assert len(ids[0]) == len(ids[1]) == PAGE_SIZE
    assert not set(ids[0]) & set(ids[1])
    assert "Side 2 av 5" in plain(second)
    dates = [
        attrs.get("datetime") or ""
        for page in (first, second)
        for tag, attrs in parse_tags(page)
        if tag == "time" and len(attrs.get("datetime") or "") == 10
    ]
    assert len(dates) == 2 * PAGE_SIZE
    assert dates == sorted(dates, reverse=True)


# --- Bad parameters: never a 500, always a visible note ----------------------------------------

BAD_PARAMETERS = [
    ("omrade=finnes-ikke", "Ukjent satsingsområde «finnes-ikke» er ignorert."),
    ("kommune=finnes-ikke", "Ukjent kommune «finnes-ikke» er ignorert."),
    ("kommune=harstad&kommune=tull", "Ukjent kommune «tull» er ignorert."),
    ("status=ferdig", "Ukjent status «ferdig» er ignorert."),
    ("status=etter-plan&status=ETTER-PLAN", "Ukjent status «ETTER-PLAN» er ignorert."),
    ("sortering=pris", "Ukjent sortering «pris» er ignorert."),
    ("side=abc", "Ugyldig sidetall «abc»; viser første side."),
    ("side=0", "Ugyldig sidetall «0»; viser første side."),
    ("side=-1", "Ugyldig sidetall «-1»; viser første side."),
    ("side=1.5", "Ugyldig sidetall «1.5»; viser første side."),
    ("side=%C2%B2", "Ugyldig sidetall «²»; viser første side."),
    ("side=%D9%A3", "Ugyldig sidetall «٣»; viser første side."),
    ("side=99999", "Side 99999 finnes ikke; viser siste side."),
    ("side=" + "9" * 5000, "Ugyldig sidetall «" + "9" * 5000 + "»; viser første side."),
    ("q=" + "x" * 10_000, "Søket var for langt og er kortet ned til 200 tegn."),
    (
        "omrade=kompetanse&omrade=reiseliv",
        "Bare ett satsingsområde kan velges; «reiseliv» er ignorert.",
    ),
    ("omrade=%ff%fe", "Ukjent satsingsområde «\ufffd\ufffd» er ignorert."),
    (
        "status=%3Cscript%3Ealert(1)%3C/script%3E",
        "Ukjent status «&lt;script&gt;alert(1)&lt;/script&gt;»",
    ),
    ("kommune=%E2%80%AEkinu%00", "Ukjent kommune «\u202ekinu\x00» er ignorert."),
    ("omrade=%", "Ukjent satsingsområde «%» er ignorert."),
    ("kommune=" + "a" * 20_000, "Ukjent kommune «" + "a" * 20_000 + "» er ignorert."),
    ("&".join(["status=tull"] * 500), "Ukjent status «tull» er ignorert."),
]
# The update list parses the same way; a sample of the cases shows it.
UPDATE_LIST_CASES = [BAD_PARAMETERS[i] for i in (0, 3, 6, 10, 12, 13, 16, 17, 20)]


@pytest.mark.parametrize(
    ("path", "query", "note"),
    [
        *[("/tiltak/", query, note) for query, note in BAD_PARAMETERS],
        *[("/oppdateringer/", query, note) for query, note in UPDATE_LIST_CASES],
    ],
)
def test_bad_parameter_gives_a_note_not_an_error(client, portal, path, query, note):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 200
    body = text(response)
    assert has_notice(body)
    assert note in body


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/"])
def test_bad_parameter_note_in_the_htmx_fragment(client, portal, path):
    response = client.get(path, {"status": "tull"}, headers={"HX-Request": "true"})

    assert "Ukjent status «tull» er ignorert." in text(response)


def test_bad_parameters_keep_the_good_ones(client, portal):
    response = client.get("/tiltak/?omrade=kompetanse&status=tull&kommune=tull&side=abc")

    assert listed(response) == [MEASURE_SLUG]


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/"])
def test_search_with_a_nul_byte_is_no_error(client, portal, path):
    response = client.get(f"{path}?q=l%C3%A6rling%00")

    assert response.status_code == 200
    assert search_box(text(response)) == "lærling"
    assert listed(response) == [MEASURE_SLUG]


def test_search_with_a_nul_byte_gives_a_note(client, portal):
    body = text(client.get("/tiltak/?q=l%C3%A6rling%00"))

    assert has_notice(body)


def test_search_that_is_too_long_is_cut(client, portal):
    response = client.get("/tiltak/", {"q": "lærling" + " " * 10 + "x" * 10_000})

    assert search_box(text(response)) == "lærling " + "x" * 192


def test_too_many_parameters_is_a_client_error(client, portal):
    # Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) fields with 400, not 500.
    response = client.get("/tiltak/?" + "&".join(["status=tull"] * 1500))

    assert response.status_code == 400


# --- htmx -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/"])
@pytest.mark.parametrize("cache_seconds", [0, 600])
def test_htmx_gets_only_the_results(client, filtered, settings, path, cache_seconds):
    settings.PUBLIC_PAGE_CACHE_SECONDS = cache_seconds
    fragment = client.get(path, {"omrade": OTHER_AREA_SLUG}, headers={"HX-Request": "true"})
    page = client.get(path, {"omrade": OTHER_AREA_SLUG})

    assert "<html" not in text(fragment)
    assert "<form" not in text(fragment)
    assert "Fiberutbygging" in text(fragment)
    assert "Lærlingløftet" not in text(fragment)
    assert "<html" in text(page)
    assert "Fiberutbygging" in text(page)
    for response in (fragment, page):
        assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/"])
def test_htmx_history_restore_gets_the_whole_page(client, portal, settings, path):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    response = client.get(
        path, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in text(response)
    assert "Lærlingløftet" in text(response)


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/"])
def test_htmx_history_restore_after_a_fragment_gets_the_whole_page(client, portal, path):
    # With the page cache on: the fragment cached first must not answer the restore.
    fragment = client.get(path, headers={"HX-Request": "true"})
    response = client.get(
        path, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in text(response)
    assert response["ETag"] != fragment["ETag"]
    revalidated = client.get(
        path,
        headers={
            "HX-Request": "true",
            "HX-History-Restore-Request": "true",
            "If-None-Match": fragment["ETag"],
        },
    )
    assert revalidated.status_code == 200
    assert "<html" in text(revalidated)


def test_htmx_pagination_links_swap_the_results(client, paged):
    body = text(client.get("/tiltak/", {"side": "2"}, headers={"HX-Request": "true"}))

    links = [attrs for tag, attrs in parse_tags(body) if tag == "a" and attrs.get("rel")]
    assert {a["rel"] for a in links} == {"prev", "next"}
    for attrs in links:
        assert attrs["data-hx-get"] == attrs["href"]
        assert attrs["data-hx-target"] == "#results"
        assert attrs["data-hx-push-url"] == "true"


# --- Query counts: at most 12, and the same for 1 and 200 measures -------------------------------

# The municipality pages and feed are counted in tests/teams/test_views.py.
QUERY_COUNTED = [
    *MEASURES_PAGES,
    *FEEDS[:3],
    *EXPORTS,
    "/healthz",
    "/en/tiltak/",
    "/tiltak/?omrade=kompetanse&kommune=harstad&kommune=narvik&status=etter-plan&q=tiltak",
    "/oppdateringer/?kommune=harstad&side=2",
]


@pytest.mark.parametrize("url", QUERY_COUNTED)
def test_query_count_is_small_and_constant(
    client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
):
    assert_query_count_is_constant(
        client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
    )


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/?status=etter-plan"])
def test_query_count_of_the_htmx_fragment(
    client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, path
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    htmx = {"HX-Request": "true"}
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get(path, headers=htmx)

    add_measures(portal, 199)
    with django_assert_num_queries(len(few)):
        assert "<html" not in text(client.get(path, headers=htmx))


# --- Markdown and user text are safe -----------------------------------------------------------

EVIL_MARKDOWN = """**bold** and *italic*

<script>alert(1)</script>

<img src=x onerror=alert(1)>

[x](javascript:alert(1))

<img src="file:///etc/passwd">

[ok](https://example.org/)

<a href="javascript:alert(2)">klikk</a>

<iframe src="https://evil.example/"></iframe>

<p style="color:red" onclick="alert(3)">stil</p>
"""


def test_markdown_is_rendered_safely(client, portal):
    Measure.objects.filter(pk=portal.measure.pk).update(description=EVIL_MARKDOWN)
    content_changed()

    body = text(client.get(f"/tiltak/{MEASURE_SLUG}/"))

    assert "<strong>bold</strong>" in body
    assert "<em>italic</em>" in body
    assert '<a href="https://example.org/" rel="noopener noreferrer nofollow">ok</a>' in body
    assert "<script>alert" not in body
    assert "onerror=" not in body
    assert "javascript:" not in body
    assert "file:///etc/passwd" not in body
    for tag, attrs in parse_tags(body):
        assert tag not in {"img", "iframe"}
        assert tag != "script" or (attrs.get("src") or "").startswith("/static/")
        assert "style" not in attrs
        assert not any(name.startswith("on") for name in attrs)


def test_markdown_headings_do_not_break_the_page_outline(client, portal):
    Measure.objects.filter(pk=portal.measure.pk).update(description="# Stor\n\n## Mindre")
    content_changed()

    body = text(client.get(f"/tiltak/{MEASURE_SLUG}/"))

    assert "<h3>Stor</h3>" in body
    assert "<h4>Mindre</h4>" in body
    assert len(headings(body)) == 1


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        # A writer who starts at ## (or deeper) still gets h3 under the page's h2.
        ("## Mål\n\ntekst\n\n## Tiltak", ["h3", "h3"]),
        ("### Mål\n\n#### Delmål", ["h3", "h4"]),
        # A jump of levels is closed: never h3 then h5.
        ("# Mål\n\n### Detalj\n\n# Neste", ["h3", "h4", "h3"]),
        ("### Først dypt\n\n# Så øverst\n\n###### Og dypest", ["h3", "h3", "h4"]),
    ],
)
def test_markdown_headings_skip_no_level(markdown, expected):
    html = render_markdown(markdown)

    assert [tag for tag, _ in parse_tags(html) if tag[0] == "h"] == expected


EVIL = "<script>alert(1)</script>"
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def evil(portal):
    measure = MeasureFactory(
        focus_area=portal.area,
        goal=portal.goal,
        title=f"Ondt {EVIL}",
        slug="ondt",
        summary=f"Sammendrag {EVIL}",
        strategy=f"Strategi {EVIL}",
        expected_result=f"Resultat {EVIL}",
        planned_end=dt.date(2025, 1, 1),
    )
    measure.municipalities.add(portal.harstad)
    status_update_create(
        measure=measure,
        status=Status.DELAYED,
        progress=5,
        comment=f"Kommentar {EVIL} <img src=x onerror=alert(1)>",
        author_name=f"Forfatter {EVIL}",
    )
    return measure


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/tiltak/",
        "/tiltak/ondt/",
        f"/tiltak/{MEASURE_SLUG}/",  # lists "ondt" under the same goal
        f"/satsingsomrader/{AREA_SLUG}/",
        "/kommuner/harstad/",
        "/oppdateringer/",
        "/tiltak/?q=%3Cscript%3E",
    ],
)
def test_user_text_is_escaped(client, evil, url):
    body = text(client.get(url))

    assert EVIL not in body
    assert "<img src=x" not in body
    assert EVIL_ESCAPED in body


def test_search_text_is_escaped_in_the_form(client, portal):
    body = text(client.get("/tiltak/", {"q": '"><script>alert(1)</script>'}))

    assert "<script>alert" not in body
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in body


# --- What the pages explain: progress, delay, stale status, legend -------------------------------


def test_home_states_how_overall_progress_is_computed(client, portal):
    body = text(client.get("/"))

    assert "Slik regner vi samlet framdrift" in body
    assert "gjennomsnittet av framdriften" in body
    assert "Stansede tiltak holdes utenfor" in body
    # (40 + 0) / 2 measures
    assert progress_values(body, "Samlet framdrift") == [20]


def test_overall_progress_leaves_stopped_measures_out(client, portal):
    status_update_create(
        measure=portal.other_measure, status=Status.STOPPED, progress=0, comment="Stanset."
    )

    body = text(client.get("/"))

    assert progress_values(body, "Samlet framdrift") == [40]


DELAYED_FLAG = "Forsinket i forhold til planen"


@pytest.mark.parametrize(
    ("forecast_end", "delayed"),
    [
        (dt.date(2027, 1, 1), True),
        (dt.date(2026, 12, 31), False),  # the planned end itself
        (dt.date(2026, 6, 1), False),
        (None, False),
    ],
)
def test_delayed_flag(client, portal, forecast_end, delayed):
    Measure.objects.filter(pk=portal.measure.pk).update(forecast_end=forecast_end)
    content_changed()

    body = text(client.get(f"/tiltak/{MEASURE_SLUG}/"))

    assert (DELAYED_FLAG in body) is delayed


STALE_WARNING = "Statusen kan være utdatert."


@pytest.mark.parametrize(
    ("days_ago", "status", "stale", "wording"),
    [
        (91, Status.ON_TRACK, True, "Tiltaket ble sist oppdatert for 91 dager siden."),
        (400, Status.DELAYED, True, "Tiltaket ble sist oppdatert for 13 måneder siden."),
        (1500, Status.ON_TRACK, True, "Tiltaket ble sist oppdatert for 4 år siden."),
        (90, Status.ON_TRACK, False, None),
        (10, Status.ON_TRACK, False, None),
        (0, Status.ON_TRACK, False, None),
        (None, Status.NOT_STARTED, True, "Tiltaket har aldri fått en statusoppdatering."),
        (400, Status.COMPLETED, False, None),
        (400, Status.STOPPED, False, None),
    ],
)
def test_stale_warning(client, portal, days_ago, status, stale, wording):
    last = None if days_ago is None else timezone.now() - dt.timedelta(days=days_ago)
    Measure.objects.filter(pk=portal.measure.pk).update(
        last_status_update_at=last,
        status=status,
        progress=100 if status == Status.COMPLETED else 30,
    )
    content_changed()

    body = text(client.get(f"/tiltak/{MEASURE_SLUG}/"))

    assert (STALE_WARNING in body) is stale
    assert "over 90 dager" not in body
    if wording:
        assert wording in body


def test_no_stale_warning_after_the_programme_has_ended(client, portal):
    Measure.objects.filter(pk=portal.measure.pk).update(
        last_status_update_at=timezone.now() - dt.timedelta(days=400), status=Status.ON_TRACK
    )
    programme = portal.measure.focus_area.programme
    type(programme).objects.filter(pk=programme.pk).update(
        start=dt.date(2018, 11, 1), end=timezone.localdate() - dt.timedelta(days=1)
    )
    content_changed()

    assert STALE_WARNING not in text(client.get(f"/tiltak/{MEASURE_SLUG}/"))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/tiltak/",
        f"/tiltak/{MEASURE_SLUG}/",
        "/satsingsomrader/",
        f"/satsingsomrader/{AREA_SLUG}/",
        "/oppdateringer/",
        "/kommuner/",
        "/kommuner/harstad/",
    ],
)
def test_status_legend_where_statuses_are_shown(client, portal, url):
    body = text(client.get(url))

    assert LEGEND in body
    for status in Status:
        assert str(status.label) in body
