"""Conditional requests and the page cache: 304 for repeat requests, never a stale page."""

from __future__ import annotations

import datetime as dt
import re
import socket
from collections.abc import Iterator
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from drivkraft.core.caching import SharedPageMiddleware, is_public_page, public_page
from drivkraft.core.revision import content_changed
from measures.models import Measure
from measures.services import status_update_create
from measures.status import Status
from tests.conftest import (
    AREA_SLUG,
    EXPORTS,
    FEEDS,
    HTML_PAGES,
    MEASURE_SLUG,
    MUNICIPALITY_SLUG,
    Portal,
    TestResponse,
    add_measures,
    parse_tags,
    same_page,
)
from tests.measures.factories import MeasureFactory
from tests.teams.factories import MunicipalityFactory

CACHED_URLS = [*HTML_PAGES, *FEEDS, *EXPORTS]


def text(response: TestResponse) -> str:
    return response.content.decode()


@pytest.mark.parametrize("url", CACHED_URLS)
def test_public_page_answers_conditional_requests(client, portal, url):
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert "no-cache" in first["Cache-Control"]

    by_etag = client.get(url, headers={"If-None-Match": etag})
    by_date = client.get(url, headers={"If-Modified-Since": last_modified})
    by_both = client.get(url, headers={"If-None-Match": etag, "If-Modified-Since": last_modified})

    for response in (by_etag, by_date, by_both):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert "HX-Request" in response["Vary"]


def test_other_etag_gets_the_page(client, portal):
    response = client.get("/tiltak/", headers={"If-None-Match": '"0.0-nb-page"'})

    assert response.status_code == 200
    assert "Lærlingløftet" in text(response)


def test_older_date_gets_the_page(client, portal):
    response = client.get(
        "/tiltak/", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    )

    assert response.status_code == 200


def test_repeat_request_is_served_from_the_cache_in_one_query(
    client, portal, django_assert_num_queries
):
    first = client.get(f"/tiltak/{MEASURE_SLUG}/")

    with django_assert_num_queries(1):
        second = client.get(f"/tiltak/{MEASURE_SLUG}/")

    assert same_page(second.content) == same_page(first.content)
    assert second["ETag"] == first["ETag"]


def test_variants_have_their_own_etags(client, portal):
    page = client.get("/tiltak/")
    fragment = client.get("/tiltak/", headers={"HX-Request": "true"})
    english = client.get("/en/tiltak/")
    english_fragment = client.get("/en/tiltak/", headers={"HX-Request": "true"})

    etags = {r["ETag"] for r in (page, fragment, english, english_fragment)}
    assert len(etags) == 4
    # A fragment's ETag does not validate the whole page, nor Norwegian the English one.
    assert client.get("/tiltak/", headers={"If-None-Match": fragment["ETag"]}).status_code == 200
    assert client.get("/tiltak/", headers={"If-None-Match": english["ETag"]}).status_code == 200
    assert "<html" in text(client.get("/tiltak/"))
    assert "<html" not in text(client.get("/tiltak/", headers={"HX-Request": "true"}))
    assert '<html lang="en">' in text(client.get("/en/tiltak/"))


def test_filtered_pages_are_cached_apart(client, portal):
    assert "Lærlingløftet" in text(client.get("/tiltak/?omrade=kompetanse"))
    assert "Lærlingløftet" not in text(client.get("/tiltak/?omrade=reiseliv"))
    assert "Besøksstrategi" in text(client.get("/tiltak/?omrade=reiseliv"))


def _add_status_update(portal):
    status_update_create(
        measure=portal.measure, status=Status.DELAYED, progress=45, comment="Ny melding ZORKMID."
    )
    return "Ny melding ZORKMID."


def _edit_title(portal):
    portal.measure.title = "Lærlingløftet ZORKMID"
    portal.measure.save()
    return "Lærlingløftet ZORKMID"


def _publish_draft(portal):
    portal.draft.is_published = True
    portal.draft.save()
    return portal.draft.title


# (change, pages that must show it at once)
CHANGES = [
    (_add_status_update, ["/", f"/tiltak/{MEASURE_SLUG}/", "/oppdateringer/", "/feed/"]),
    (
        _edit_title,
        ["/", "/tiltak/", f"/tiltak/{MEASURE_SLUG}/", f"/satsingsomrader/{AREA_SLUG}/"],
    ),
    (_publish_draft, ["/tiltak/", f"/satsingsomrader/{AREA_SLUG}/", "/data/tiltak.csv"]),
]


@pytest.mark.parametrize(("change", "urls"), CHANGES)
def test_content_change_renews_etag_and_page(client, portal, change, urls):
    before = {url: client.get(url) for url in urls}

    new_text = change(portal)

    for url in urls:
        old = before[url]
        assert new_text not in text(old)
        stale_check = client.get(url, headers={"If-None-Match": old["ETag"]})
        assert stale_check.status_code == 200
        assert stale_check["ETag"] != old["ETag"]
        assert new_text in text(stale_check)
        assert new_text in text(client.get(url))


def test_many_to_many_change_renews_etag_and_page(client, portal):
    # Creating the municipality renews the revision too; the M2M add must renew it again.
    municipality = MunicipalityFactory(name="Tjeldsund ZORKMID", slug="tjeldsund")
    url = f"/tiltak/{MEASURE_SLUG}/"
    before = client.get(url)
    assert "Tjeldsund ZORKMID" not in text(before)

    portal.measure.municipalities.add(municipality)

    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Tjeldsund ZORKMID" in text(after)
    municipality_page = client.get("/kommuner/tjeldsund/")
    assert "Lærlingløftet" in text(municipality_page)

    portal.measure.municipalities.remove(municipality)

    assert "Tjeldsund ZORKMID" not in text(client.get(url))
    assert "Lærlingløftet" not in text(client.get("/kommuner/tjeldsund/"))


def test_unpublishing_hides_the_measure_at_once(client, portal):
    assert client.get(f"/tiltak/{MEASURE_SLUG}/").status_code == 200
    assert "Lærlingløftet" in text(client.get("/tiltak/"))
    assert "Lærlingløftet" in text(client.get(f"/kommuner/{MUNICIPALITY_SLUG}/"))

    portal.measure.is_published = False
    portal.measure.save()

    assert client.get(f"/tiltak/{MEASURE_SLUG}/").status_code == 404
    assert client.get(f"/tiltak/{MEASURE_SLUG}/feed/").status_code == 404
    assert "Lærlingløftet" not in text(client.get("/tiltak/"))
    assert "Lærlingløftet" not in text(client.get(f"/kommuner/{MUNICIPALITY_SLUG}/"))
    assert "Lærlingløftet" not in text(client.get("/data/tiltak.json"))


def test_deleting_renews_the_page(client, portal):
    assert "Besøksstrategi" in text(client.get("/tiltak/"))

    Measure.objects.get(pk=portal.other_measure.pk).delete()

    assert "Besøksstrategi" not in text(client.get("/tiltak/"))


def test_htmx_and_whole_page_stay_apart_in_the_cache(client, portal):
    client.get("/tiltak/", headers={"HX-Request": "true"})

    assert "<html" in text(client.get("/tiltak/"))
    client.get("/tiltak/")
    assert "<html" not in text(client.get("/tiltak/", headers={"HX-Request": "true"}))


def test_error_pages_are_not_cached_as_pages(client, portal):
    assert client.get("/tiltak/ny/").status_code == 404

    MeasureFactory(focus_area=portal.area, goal=portal.goal, title="Nytt tiltak", slug="ny")

    assert client.get("/tiltak/ny/").status_code == 200


def test_absolute_urls_follow_the_requested_host(client, portal, settings):
    settings.ALLOWED_HOSTS = ["drivkraft.example", "www.drivkraft.example"]
    client.get("/data/tiltak.json", headers={"Host": "drivkraft.example"})

    response = client.get("/data/tiltak.json", headers={"Host": "www.drivkraft.example"})

    assert response.json()["schema"] == "http://www.drivkraft.example/data/"


def _ninety_days_since_the_last_update(portal: Portal) -> None:
    Measure.objects.filter(pk=portal.measure.pk).update(
        last_status_update_at=timezone.now() - dt.timedelta(days=90)
    )
    content_changed()


def _tomorrow(monkeypatch: pytest.MonkeyPatch) -> None:
    real_localdate = timezone.localdate

    def localdate(value: dt.datetime | None = None, timezone: dt.tzinfo | None = None) -> dt.date:
        if value is None:
            return real_localdate() + dt.timedelta(days=1)
        return real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def test_stale_warning_follows_the_date(client, portal, monkeypatch):
    _ninety_days_since_the_last_update(portal)
    url = f"/tiltak/{MEASURE_SLUG}/"
    assert "Statusen kan være utdatert" not in text(client.get(url))

    _tomorrow(monkeypatch)
    cache.clear()

    assert "Statusen kan være utdatert" in text(client.get(url))


def test_stale_warning_appears_for_a_client_holding_the_page(client, portal, monkeypatch):
    _ninety_days_since_the_last_update(portal)
    url = f"/tiltak/{MEASURE_SLUG}/"
    yesterday = client.get(url)
    assert "Statusen kan være utdatert" not in text(yesterday)

    _tomorrow(monkeypatch)
    response = client.get(url, headers={"If-None-Match": yesterday["ETag"]})

    assert response.status_code == 200
    assert "Statusen kan være utdatert" in text(response)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that is held but not listening: connecting to it is refused at once."""
    for port in range(8101, 8120):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            yield port
            return
    pytest.fail("no free port in 8101-8119")


def test_pages_are_served_uncached_when_redis_is_down(client, portal, settings, closed_port):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/3",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    url = f"/tiltak/{MEASURE_SLUG}/"

    first = client.get(url)
    status_update_create(
        measure=portal.measure, status=Status.DELAYED, progress=45, comment="Venter på svar."
    )
    second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert "Lærlingløftet" in text(first)
    assert "Venter på svar." in text(second)


# --- The cache key: the parameters a page reads, never the raw query string ----------------------


def page_entries() -> int:
    """How many pages the cache holds (the test settings use the local-memory cache)."""
    keys: dict[str, object] = cache._cache  # type: ignore[attr-defined]  # LocMemCache's store
    return sum(1 for key in keys if ":page:" in key)


def test_unknown_parameters_make_no_new_cache_entries(client, portal):
    for n in range(600):
        assert client.get(f"/data/tiltak.json?q=&bust={n}").status_code == 200

    assert page_entries() == 1


@pytest.mark.parametrize("url", CACHED_URLS)
def test_an_unknown_parameter_neither_changes_the_page_nor_makes_an_entry(client, portal, url):
    separator = "&" if "?" in url else "?"
    with_bust = client.get(f"{url}{separator}bust=ZORKMID&utm_source=x")
    entries = page_entries()

    plain_page = client.get(url)

    assert with_bust.status_code == plain_page.status_code == 200
    assert page_entries() == entries == 1
    assert "ZORKMID" not in text(with_bust)
    assert "utm_source" not in text(with_bust)
    assert same_page(plain_page.content) == same_page(with_bust.content)


def test_the_language_link_and_the_pages_carry_only_the_canonical_filters(client, portal):
    add_measures(portal, 30)
    response = client.get("/tiltak/?bust=1&omrade=&status=etter-plan&status=etter-plan&side=1")

    body = text(response)
    assert "bust" not in body
    english = [attrs["href"] for tag, attrs in parse_tags(body) if attrs.get("hreflang") == "en"]
    assert english == ["/en/tiltak/?status=etter-plan"]
    assert same_page(client.get("/tiltak/?status=etter-plan").content) == same_page(
        response.content
    )


def test_equivalent_filters_share_one_entry(client, portal, django_assert_num_queries):
    first = client.get(
        "/tiltak/?kommune=harstad&kommune=harstad&q=++l%C3%A6rling++&sortering=omrade"
    )

    with django_assert_num_queries(1):
        second = client.get("/tiltak/?q=l%C3%A6rling&kommune=harstad&x=1")

    assert same_page(second.content) == same_page(first.content)
    assert page_entries() == 1


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("status=tull", "Ukjent status «tull» er ignorert."),
        ("omrade=finnes-ikke", "Ukjent satsingsområde «finnes-ikke» er ignorert."),
        ("kommune=finnes-ikke", "Ukjent kommune «finnes-ikke» er ignorert."),
        ("side=99999", "Side 99999 finnes ikke; viser siste side."),
        ("q=a%00", "Søket inneholdt kontrolltegn; de er fjernet."),
    ],
)
def test_a_page_with_a_note_is_made_for_its_request_and_never_stored(client, portal, query, note):
    client.get("/tiltak/")
    client.get("/data/tiltak.json")
    entries = page_entries()

    for n in range(3):
        page = client.get(f"/tiltak/?{query}&n={n}")
        exported = client.get(f"/data/tiltak.json?{query}")
        assert note in text(page)
        if not query.startswith("side"):  # the export holds every page
            assert note in exported.json()["merknader"]

    assert page_entries() == entries


def test_bogus_values_of_known_parameters_make_no_entries(client, portal):
    for n in range(50):
        client.get(f"/tiltak/?omrade=finnes-ikke-{n}")
        client.get(f"/oppdateringer/?side={1000 + n}")

    assert page_entries() == 0


def test_an_export_is_one_entry_whatever_page_is_asked_for(client, portal):
    for n in range(1, 30):
        assert client.get(f"/data/tiltak.csv?side={n}").status_code == 200

    assert page_entries() == 1


# Logged-in users: a page of their own, never shared -----------------------------------------------


@pytest.fixture
def member(db, django_user_model):
    return django_user_model.objects.create_user("medlem", first_name="Kari")


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/", "/tiltak/", f"/tiltak/{MEASURE_SLUG}/", "/feed/"])
def test_a_logged_in_users_page_is_private_and_never_cached(client, portal, member, url):
    response = _logged_in(member).get(url)

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert "public" not in cache_control
    assert "ETag" not in response
    assert "Cookie" in response["Vary"]


def test_a_visitor_never_gets_a_logged_in_users_header(client, portal, member):
    personal = _logged_in(member).get("/")
    assert "Logg ut" in text(personal)

    visitor = client.get("/")

    assert "Logg ut" not in text(visitor)
    assert "csrfmiddlewaretoken" not in text(visitor)
    assert "Logg inn" in text(visitor)
    assert "public" in visitor["Cache-Control"]
    # And it is the visitor's page, not the member's, that the cache now holds.
    assert "Logg ut" not in text(client.get("/"))


def test_a_logged_in_user_never_gets_the_visitors_cached_page(client, portal, member):
    visitor = client.get("/")
    assert "Logg inn" in text(visitor)
    member_client = _logged_in(member)

    personal = member_client.get("/")
    conditional = member_client.get("/", headers={"If-None-Match": visitor["ETag"]})

    assert "Logg ut" in text(personal)
    assert conditional.status_code == 200  # no 304 that would keep the visitor's copy
    assert "Logg ut" in text(conditional)


def test_public_pages_vary_on_the_cookie(client, portal):
    response = client.get("/")

    assert "Cookie" in response["Vary"]
    assert "HX-Request" in response["Vary"]
    not_modified = client.get("/", headers={"If-None-Match": response["ETag"]})
    assert "Cookie" in not_modified["Vary"]


def test_a_visitor_costs_no_session_or_user_query(client, portal, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200

    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "django_session" not in tables
    assert "auth_user" not in tables


def test_a_visitor_with_a_message_gets_it_once_and_uncached(client, portal, member):
    member_client = _logged_in(member)
    member_client.post("/logg-ut/")  # leaves «Du er logget ut» in a fresh session

    first = member_client.get("/")
    second = member_client.get("/")

    assert "Du er logget ut." in text(first)
    assert "no-store" in first["Cache-Control"]
    assert "Du er logget ut." not in text(second)
    assert "Du er logget ut." not in text(client.get("/"))


# The shared page cache: a visitor's repeat request answered before most of the middleware -------


def shared_entries() -> int:
    keys: dict[str, object] = cache._cache  # type: ignore[attr-defined]  # LocMemCache's store
    return sum(1 for key in keys if ":shared:" in key)


# Headers the middleware inside the shared cache adds (language, framing, caching) and outside it
# (security): a stored answer has them all, as the first answer had.
KEPT_HEADERS = [
    "Content-Type",
    "Content-Language",
    "X-Frame-Options",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Cross-Origin-Resource-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
]


@pytest.mark.parametrize("url", ["/", "/tiltak/", f"/tiltak/{MEASURE_SLUG}/", "/en/tiltak/"])
def test_a_visitors_repeat_request_is_answered_before_the_session_middleware(
    client, portal, monkeypatch, django_assert_num_queries, url
):
    from django.contrib.sessions.middleware import SessionMiddleware

    first = client.get(url)
    reached: list[str] = []
    original = SessionMiddleware.process_request

    def counted(self: SessionMiddleware, request: HttpRequest) -> None:
        reached.append(request.path)
        original(self, request)

    monkeypatch.setattr(SessionMiddleware, "process_request", counted)

    with django_assert_num_queries(1):  # the revision
        second = client.get(url)

    assert reached == []
    assert second.status_code == 200
    assert same_page(second.content) == same_page(first.content)
    for header in KEPT_HEADERS:
        assert second.get(header) == first.get(header), header
    assert shared_entries() == 1


def test_every_answer_from_the_shared_cache_has_a_fresh_form_stamp(client, portal):
    url = f"/tiltak/{MEASURE_SLUG}/"
    stamps = [
        re.findall(rb'name="stamp" value="([^"]+)"', client.get(url).content) for _ in range(3)
    ]

    assert all(len(found) == 1 for found in stamps)
    assert len({found[0] for found in stamps}) == 3
    assert shared_entries() == 1


def test_the_shared_page_follows_a_change_at_once(client, portal):
    url = f"/tiltak/{MEASURE_SLUG}/"
    client.get(url)
    client.get(url)

    status_update_create(
        measure=portal.measure, status=Status.DELAYED, progress=45, comment="Venter på svar."
    )

    assert "Venter på svar." in text(client.get(url))


def test_languages_and_fragments_are_stored_apart(client, portal):
    pages = {
        ("/tiltak/", False): 'lang="nb"',
        ("/en/tiltak/", False): 'lang="en"',
        ("/tiltak/", True): "",
    }
    for _round in range(2):
        for (url, fragment), marker in pages.items():
            headers = {"HX-Request": "true"} if fragment else {}
            body = text(client.get(url, headers=headers))
            assert ("<html" in body) is not fragment
            assert marker in body

    assert shared_entries() == 3


@pytest.mark.parametrize(
    ("path", "public"),
    [
        ("/", True),
        ("/tiltak/", True),
        (f"/tiltak/{MEASURE_SLUG}/", True),
        (f"/en/tiltak/{MEASURE_SLUG}/", True),
        ("/se/tiltak/", True),
        ("/feed/", True),
        ("/data/tiltak.csv", True),
        (f"/innebygd/kommuner/{MUNICIPALITY_SLUG}/", True),
        ("/healthz", False),
        ("/admin/", False),
        ("/admin/login/", False),
        ("/min-side/", False),
        ("/rapporter/gjeldende.pdf", False),
        ("/finnes-ikke/", False),
        ("/en/finnes-ikke/", False),
    ],
)
def test_only_public_pages_are_looked_up(path, public):
    from django.conf import settings as django_settings

    assert is_public_page(path, django_settings.ROOT_URLCONF) is public


@pytest.mark.parametrize(
    "headers",
    [{"If-None-Match": '"x"'}, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}],
)
def test_conditional_and_parameterised_requests_take_the_usual_way(client, portal, headers):
    assert client.get("/tiltak/", headers=headers).status_code == 200
    assert client.get("/tiltak/?status=forsinket").status_code == 200
    assert client.head("/tiltak/").status_code == 200

    assert shared_entries() == 0


def test_a_page_that_names_its_request_is_not_shared(client, portal):
    client.get("/tiltak/?status=tull")
    client.get("/tiltak/?status=tull")

    assert shared_entries() == 0


def test_with_the_database_down_the_shared_cache_steps_aside_for_the_503_page(
    client, portal, monkeypatch
):
    from django.db import OperationalError

    def unreachable() -> None:
        raise OperationalError("connection refused")

    client.get("/tiltak/")
    monkeypatch.setattr("drivkraft.core.caching.current_revision", unreachable)

    response = client.get("/tiltak/")

    assert response.status_code == 503
    assert response["Retry-After"]


@pytest.mark.parametrize("shareable", [True, False])
def test_only_a_shareable_answer_without_cookies_is_stored(portal, shareable):
    from django.http import HttpResponse
    from django.test import RequestFactory

    made: list[HttpResponse] = []

    @public_page
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("<p>side</p>")
        if not shareable:
            response.set_cookie("valg", "1")
        made.append(response)
        return response

    middleware = SharedPageMiddleware(view)
    answers = [middleware(RequestFactory().get("/tiltak/")) for _ in range(3)]

    assert [cast(HttpResponse, answer).content for answer in answers] == [b"<p>side</p>"] * 3
    assert len(made) == (1 if shareable else 3)
