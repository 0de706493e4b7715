"""The small views for the municipalities' own sites (/innebygd/…): framable only from the
allowed origins, cookie-free, public data only, and a link back to the full page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from measures.models import Measure
from tests.conftest import (
    DRAFT_SLUG,
    DRAFT_TITLE,
    HIDDEN_STRINGS,
    MEASURE_SLUG,
    MUNICIPALITY_SLUG,
    OTHER_MEASURE_SLUG,
    assert_query_count_is_constant,
    links,
    parse_tags,
    plain,
)
from tests.test_security_headers import policy

EMBEDS = [
    f"/innebygd/kommuner/{MUNICIPALITY_SLUG}/",
    f"/innebygd/tiltak/{MEASURE_SLUG}/",
    f"/en/innebygd/kommuner/{MUNICIPALITY_SLUG}/",
    f"/en/innebygd/tiltak/{MEASURE_SLUG}/",
]
# A sample of the other pages: none of them may be framed by anyone.
NOT_FRAMABLE = [
    "/",
    f"/kommuner/{MUNICIPALITY_SLUG}/",
    f"/tiltak/{MEASURE_SLUG}/",
    "/data/",
    "/data/tiltak.json",
    "/en/tiltak/",
    "/tiltak/finnes-ikke/",
    "/innebygd/kommuner/finnes-ikke/",
]
ALLOWED = ["https://www.harstad.kommune.no", "https://narvik.kommune.no:8443"]


@pytest.mark.parametrize("url", EMBEDS)
def test_an_embed_may_be_framed_by_the_allowed_origins_only(client, portal, settings, url):
    settings.EMBED_ALLOWED_ORIGINS = ALLOWED
    response = client.get(url)

    assert response.status_code == 200
    csp = policy(response)
    assert csp["frame-ancestors"] == ["'self'", *ALLOWED]
    assert "X-Frame-Options" not in response
    # The rest of the policy is the site's strict one.
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_without_allowed_origins_only_this_site_may_frame_an_embed(client, portal):
    assert settings.EMBED_ALLOWED_ORIGINS == []

    response = client.get(EMBEDS[0])

    assert policy(response)["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("url", NOT_FRAMABLE)
def test_every_other_page_may_be_framed_by_nobody(client, portal, settings, url):
    settings.EMBED_ALLOWED_ORIGINS = ALLOWED
    response = client.get(url)

    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_cached_embed_and_a_304_keep_the_embed_policy(client, portal, settings):
    settings.EMBED_ALLOWED_ORIGINS = ALLOWED
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    first = client.get(EMBEDS[0])
    cached = client.get(EMBEDS[0])
    not_modified = client.get(EMBEDS[0], headers={"If-None-Match": first["ETag"]})

    assert cached.content == first.content
    assert not_modified.status_code == 304
    for response in (cached, not_modified):
        assert policy(response)["frame-ancestors"] == ["'self'", *ALLOWED]
        assert "X-Frame-Options" not in response
    # The page the cache stored for the embed does not leak its policy to the full page.
    assert policy(client.get(f"/kommuner/{MUNICIPALITY_SLUG}/"))["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", EMBEDS)
def test_an_embed_sets_no_cookie_even_for_a_logged_in_visitor(client, portal, url):
    user = User.objects.create_user("kari", password="x" * 20)  # noqa: S106
    client.force_login(user)
    assert settings.SESSION_COOKIE_NAME in client.cookies

    response = client.get(url, secure=True)

    assert response.status_code == 200
    assert "Set-Cookie" not in response
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    # Still the public page, cacheable as any other.
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("url", EMBEDS)
def test_an_embed_sets_no_cookie_for_a_stale_session_either(client, portal, url):
    """A session cookie the server no longer knows would be deleted (Set-Cookie) by a page that
    reads the session; an embed never reads it."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "utlopt-okt-som-ikke-finnes"

    response = client.get(url)

    assert "Set-Cookie" not in response
    assert not response.cookies


@pytest.mark.parametrize("url", EMBEDS)
def test_an_embed_has_no_form_script_or_site_navigation(client, portal, url):
    html = client.get(url).content.decode()
    tags = {tag for tag, _attrs in parse_tags(html)}

    assert not tags & {"form", "script", "nav", "header", "footer", "input", "iframe"}
    assert "csrfmiddlewaretoken" not in html


def test_the_municipality_embed(client, portal):
    html = client.get(f"/innebygd/kommuner/{MUNICIPALITY_SLUG}/").content.decode()
    tags = parse_tags(html)

    assert ("html", {"lang": "nb"}) in tags
    assert "Tiltak i Harstad" in plain(html)
    # Harstad's measure is shared with Narvik; none is Harstad's alone.
    text = plain(html)
    assert text.index("Bare Harstad") < text.index("Ingen publiserte tiltak bare for kommunen")
    assert text.index("Sammen med noen av de andre kommunene") < text.index("Lærlingløftet")
    assert text.index("Lærlingløftet") < text.index("Felles for hele regionen")
    for hidden in HIDDEN_STRINGS:
        assert hidden not in html
    # Every link leaves the frame for the full page.
    anchors = [attrs for tag, attrs in tags if tag == "a"]
    assert anchors and all(a.get("target") == "_top" for a in anchors)
    assert (f"/kommuner/{MUNICIPALITY_SLUG}/", "Alle tiltakene i Harstad på Program Drivkraft") in (
        links(html)
    )
    assert (f"/tiltak/{MEASURE_SLUG}/", "Lærlingløftet") in links(html)


def test_a_measure_of_the_municipality_alone(client, portal):
    portal.other_measure.municipalities.set([portal.harstad])
    text = plain(client.get(f"/innebygd/kommuner/{MUNICIPALITY_SLUG}/").content.decode())

    own, shared = text.split("Sammen med noen av de andre kommunene")
    assert "Besøksstrategi" in own
    assert "Lærlingløftet" in shared


def test_the_measure_embed(client, portal):
    html = client.get(f"/innebygd/tiltak/{MEASURE_SLUG}/").content.decode()
    text = plain(html)

    assert "Lærlingløftet" in text
    assert "Under arbeid etter plan" in text
    assert "Planlagt slutt 31. desember 2026" in text
    assert "Kari Nordmann, Harstad" in text
    assert "Godt i gang med rekrutteringen." in text
    assert "kari@example.org" not in html
    assert (f"/tiltak/{MEASURE_SLUG}/", "Hele tiltaket med historikk på Program Drivkraft") in (
        links(html)
    )


def test_english_embeds_mark_the_norwegian_content(client, portal):
    html = client.get(f"/en/innebygd/tiltak/{MEASURE_SLUG}/").content.decode()

    assert '<html lang="en">' in html
    assert '<h1 lang="nb">Lærlingløftet</h1>' in html


@pytest.mark.parametrize(
    "url",
    [
        f"/innebygd/tiltak/{DRAFT_SLUG}/",
        "/innebygd/tiltak/finnes-ikke/",
        "/innebygd/kommuner/finnes-ikke/",
    ],
)
def test_hidden_or_unknown_is_not_found(client, portal, url):
    response = client.get(url)

    assert response.status_code == 404
    assert DRAFT_TITLE not in response.content.decode()


def test_an_archived_measure_leaves_the_embed(client, portal):
    Measure.objects.filter(pk=portal.other_measure.pk).update(is_published=False)
    portal.other_measure.municipalities.set([portal.harstad])

    html = client.get(f"/innebygd/kommuner/{MUNICIPALITY_SLUG}/").content.decode()

    assert "Besøksstrategi" not in html
    assert client.get(f"/innebygd/tiltak/{OTHER_MEASURE_SLUG}/").status_code == 404


@pytest.mark.parametrize("url", EMBEDS[:2])
def test_query_count_is_constant(
    client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
):
    assert_query_count_is_constant(
        client, portal, settings, django_assert_max_num_queries, django_assert_num_queries, url
    )


def test_the_data_page_gives_the_iframe_code_of_each_municipality(client, portal):
    html = client.get("/data/").content.decode()
    tags = parse_tags(html)

    areas = {attrs["id"]: attrs for tag, attrs in tags if tag == "textarea"}
    assert set(areas) == {"embed-harstad", "embed-narvik", "embed-evenes"}
    assert all("readonly" in attrs for attrs in areas.values())
    labels = {attrs.get("for") for tag, attrs in tags if tag == "label"}
    assert set(areas) <= labels
    assert (
        "&lt;iframe src=&quot;http://testserver/innebygd/kommuner/harstad/&quot; "
        "title=&quot;Tiltak i Harstad – Program Drivkraft&quot;"
    ) in html
