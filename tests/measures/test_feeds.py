"""Atom feeds of status updates: valid, newest first, linked from the pages, and safe."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from measures.feeds import FEED_SIZE
from measures.models import StatusUpdate
from measures.services import status_update_create
from measures.status import Status
from tests.conftest import (
    AREA_SLUG,
    FEEDS,
    HIDDEN_STRINGS,
    MEASURE_SLUG,
    MUNICIPALITY_SLUG,
    OTHER_AREA_SLUG,
    OTHER_MEASURE_SLUG,
    TestResponse,
    add_measures,
    parse_tags,
)
from tests.measures.factories import StatusUpdateFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response: TestResponse) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def first(element: ET.Element, tag: str) -> ET.Element:
    """The element's first Atom `tag`; the test fails without one."""
    found = element.find(f"{ATOM}{tag}")
    assert found is not None, tag
    return found


def text(element: ET.Element, path: str) -> str:
    """The text at `path` (in Atom's namespace); the test fails without one."""
    found = element.findtext(path)
    assert found is not None, path
    return found


def href(entry: ET.Element) -> str:
    found = first(entry, "link").get("href")
    assert found is not None
    return found


def entry_paths(root: ET.Element) -> list[str]:
    return [urlsplit(href(e)).path for e in entries(root)]


@pytest.mark.parametrize("url", [*FEEDS, *[f"/en{url}" for url in FEEDS]])
def test_feed_is_valid_atom(client, portal, url):
    root = parse(client.get(url))

    assert "Drivkraft" in text(root, f"{ATOM}title")
    assert root.find(f"{ATOM}updated") is not None
    assert first(root, "id").text
    assert entries(root)
    for entry in entries(root):
        for child in ("title", "id", "updated", "published", "summary"):
            assert entry.find(f"{ATOM}{child}") is not None, child
        assert first(entry, "link").get("rel") == "alternate"


@pytest.mark.parametrize(("prefix", "lang"), [("", "nb"), ("/en", "en")])
def test_feed_language(client, portal, prefix, lang):
    root = parse(client.get(f"{prefix}/feed/"))

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang


def test_entry_describes_the_update(client, portal):
    (entry,) = [
        e
        for e in entries(parse(client.get(f"/tiltak/{MEASURE_SLUG}/feed/")))
        if "/statusoppdatering/" in (e.findtext(f"{ATOM}id") or "")
    ]

    assert entry.findtext(f"{ATOM}title") == "Lærlingløftet: Ikke startet → Under arbeid etter plan"
    summary = text(entry, f"{ATOM}summary")
    assert "Status: Under arbeid etter plan. Framdrift: 40 %." in summary
    assert "Godt i gang med rekrutteringen." in summary
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Kari Nordmann"
    assert entry.findtext(f"{ATOM}id") == (
        f"tag:halogalandsradet.no,2018:drivkraft/statusoppdatering/{portal.update.pk}"
    )


@pytest.mark.parametrize("url", FEEDS)
def test_entry_links_point_to_the_measure_page(client, portal, url):
    for entry in entries(parse(client.get(url))):
        link = urlsplit(href(entry))
        assert link.scheme == "http"
        assert link.netloc == "testserver"
        assert link.path.startswith("/tiltak/")
        # A status update, a decision or the milestones (on a measure's own feed).
        assert link.fragment.startswith(("oppdatering-", "beslutning-", "milepaeler"))
        page = client.get(link.path)
        assert page.status_code == 200
        assert f'id="{link.fragment}"' in page.content.decode()


@pytest.fixture
def history(portal):
    """Updates on three public measures, dated out of creation order."""
    StatusUpdateFactory(measure=portal.other_measure, date=dt.date(2025, 3, 1), comment="Mars")
    StatusUpdateFactory(measure=portal.measure, date=dt.date(2025, 1, 1), comment="Januar")
    StatusUpdateFactory(measure=portal.other_measure, date=dt.date(2025, 2, 1), comment="Februar")
    StatusUpdateFactory(measure=portal.draft, date=dt.date(2025, 4, 1), comment="Utkast")
    return portal


@pytest.mark.parametrize("url", FEEDS)
def test_entries_are_newest_first(client, history, url):
    root = parse(client.get(url))

    published = [text(e, f"{ATOM}published") for e in entries(root)]
    moments = [dt.datetime.fromisoformat(p) for p in published]
    assert moments == sorted(moments, reverse=True)


def test_latest_feed_order_and_content(client, history):
    summaries = [text(e, f"{ATOM}summary") for e in entries(parse(client.get("/feed/")))]

    comments = [re.findall(r"<p>(.*?)</p>", s)[-1] for s in summaries]
    assert comments == ["Godt i gang med rekrutteringen.", "Mars", "Februar", "Januar"]


@pytest.mark.parametrize(
    ("url", "measures"),
    [
        ("/feed/", {MEASURE_SLUG, OTHER_MEASURE_SLUG}),
        (f"/tiltak/{MEASURE_SLUG}/feed/", {MEASURE_SLUG}),
        (f"/tiltak/{OTHER_MEASURE_SLUG}/feed/", {OTHER_MEASURE_SLUG}),
        (f"/satsingsomrader/{AREA_SLUG}/feed/", {MEASURE_SLUG}),
        (f"/satsingsomrader/{OTHER_AREA_SLUG}/feed/", {OTHER_MEASURE_SLUG}),
        (f"/kommuner/{MUNICIPALITY_SLUG}/feed/", {MEASURE_SLUG}),
        ("/kommuner/evenes/feed/", {OTHER_MEASURE_SLUG}),
    ],
)
def test_feed_holds_only_its_own_updates(client, history, url, measures):
    paths = entry_paths(parse(client.get(url)))

    assert {path.split("/")[2] for path in paths} == measures


@pytest.mark.parametrize("url", FEEDS)
def test_hidden_measures_are_not_in_feeds(client, history, url):
    body = client.get(url).content.decode()

    for hidden in [*HIDDEN_STRINGS, "Utkast"]:
        assert hidden not in body


@pytest.mark.parametrize(
    "url",
    [
        "/tiltak/finnes-ikke/feed/",
        "/satsingsomrader/finnes-ikke/feed/",
        "/kommuner/finnes-ikke/feed/",
        "/en/kommuner/finnes-ikke/feed/",
    ],
)
def test_feed_of_unknown_object_is_404(client, portal, url):
    assert client.get(url).status_code == 404


def test_feed_is_limited(client, portal):
    add_measures(portal, 30)  # two updates each
    assert StatusUpdate.objects.count() > FEED_SIZE

    assert len(entries(parse(client.get("/feed/")))) == FEED_SIZE


EVIL = "<script>alert(1)</script>"


@pytest.fixture
def evil_update(portal):
    portal.measure.title = f"Lærlingløftet {EVIL}"
    portal.measure.save()
    status_update_create(
        measure=portal.measure,
        status=Status.DELAYED,
        progress=45,
        comment=f"Forsinket {EVIL} <img src=x onerror=alert(1)> & mer",
        author_name=f"Ond {EVIL}",
    )
    return portal


@pytest.mark.parametrize("url", FEEDS)
def test_user_text_is_escaped_in_the_xml(client, evil_update, url):
    body = client.get(url).content.decode()

    assert EVIL not in body
    assert "<img" not in body
    root = parse(client.get(url))
    titles = [e.findtext(f"{ATOM}title") for e in entries(root)]
    assert f"Lærlingløftet {EVIL}: Under arbeid etter plan → Forsinket" in titles


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.append(tag)


def test_summary_html_holds_no_markup_from_user_text(client, evil_update):
    root = parse(client.get(f"/tiltak/{MEASURE_SLUG}/feed/"))
    summary = first(entries(root)[0], "summary")
    assert summary.get("type") == "html"

    # type="html": the text, once unescaped from XML, is HTML that a reader renders.
    elements = _Elements()
    assert summary.text is not None
    elements.feed(summary.text)
    assert elements.names == [] or set(elements.names) <= {"p", "br"}


FEED_LINKS = [
    ("/", "/feed/"),
    ("/oppdateringer/", "/feed/"),
    (f"/tiltak/{MEASURE_SLUG}/", f"/tiltak/{MEASURE_SLUG}/feed/"),
    (f"/satsingsomrader/{AREA_SLUG}/", f"/satsingsomrader/{AREA_SLUG}/feed/"),
    (f"/kommuner/{MUNICIPALITY_SLUG}/", f"/kommuner/{MUNICIPALITY_SLUG}/feed/"),
    (f"/en/tiltak/{MEASURE_SLUG}/", f"/en/tiltak/{MEASURE_SLUG}/feed/"),
]


@pytest.mark.parametrize(("page", "feed"), FEED_LINKS)
def test_page_links_its_feed(client, portal, page, feed):
    links = [
        attrs
        for tag, attrs in parse_tags(client.get(page).content.decode())
        if tag == "link" and attrs.get("rel") == "alternate"
    ]

    feed_links = [a for a in links if a.get("type") == "application/atom+xml"]
    assert feed in [a["href"] for a in feed_links]
    assert all(a.get("title") for a in feed_links)
    parse(client.get(feed))


# --- Ids: permanent IRIs, whatever the host -------------------------------------------------

IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def ids(root: ET.Element) -> list[str]:
    found = [root.findtext(f"{ATOM}id"), *[e.findtext(f"{ATOM}id") for e in entries(root)]]
    assert None not in found
    return [text for text in found if text is not None]


@pytest.mark.parametrize("url", [*FEEDS, *[f"/en{url}" for url in FEEDS]])
def test_ids_do_not_follow_the_host_and_are_absolute_iris(client, portal, settings, url):
    settings.ALLOWED_HOSTS = ["drivkraft.example.no", "annen-vert.example"]

    first = ids(parse(client.get(url, headers={"Host": "drivkraft.example.no"})))
    other = ids(parse(client.get(url, headers={"Host": "annen-vert.example"})))

    assert first == other
    assert len(set(first)) == len(first)  # the feed and each entry have their own
    for value in first:
        assert IRI_SCHEME.match(value), value  # RFC 4287 §4.2.6: an IRI, with its scheme
        assert not any(c.isspace() for c in value)
        assert value.startswith("tag:halogalandsradet.no,2018:drivkraft/")
        assert "example" not in value


def test_each_feed_and_language_has_its_own_id_and_an_entry_keeps_its_own(client, portal):
    feeds = {url: parse(client.get(url)) for url in [*FEEDS, *[f"/en{u}" for u in FEEDS]]}

    feed_ids = [root.findtext(f"{ATOM}id") for root in feeds.values()]
    assert len(set(feed_ids)) == len(feed_ids)
    assert feeds["/feed/"].findtext(f"{ATOM}id") == (
        "tag:halogalandsradet.no,2018:drivkraft/statusoppdateringer"
    )
    assert feeds["/en/feed/"].findtext(f"{ATOM}id") == (
        "tag:halogalandsradet.no,2018:drivkraft/statusoppdateringer/en"
    )
    update_id = f"tag:halogalandsradet.no,2018:drivkraft/statusoppdatering/{portal.update.pk}"
    for url in ["/feed/", "/en/feed/", f"/tiltak/{MEASURE_SLUG}/feed/"]:
        assert update_id in ids(feeds[url])
