"""The language switch and the 503 page's «try again» link are always paths on this site.

`GET //evil.example/` gave a 404 page whose «English» link was `//evil.example/en/` (another
site, to a browser); `/%2F%2Fevil.example/tiltak/` gave `///evil.example/tiltak/`.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.http import url_has_allowed_host_and_scheme

from drivkraft.middleware import database_unavailable
from tests.conftest import links, parse_tags

# (how the client sends it, keyword arguments for the test client)
HOSTILE = [
    ("//evil.example/", {"PATH_INFO": "//evil.example/"}),
    ("//evil.example/tiltak/", {"PATH_INFO": "//evil.example/tiltak/"}),
    ("/%2F%2Fevil.example/tiltak/", {}),
    ("/en//evil.example/", {"PATH_INFO": "/en//evil.example/"}),
    ("/en/%2F%2Fevil.example/", {}),
    ("/%5C%5Cevil.example/", {}),
]


def is_local(url: str) -> bool:
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def language_links(html: str, *, languages: tuple[str, ...] = ("nb", "en", "se")) -> list[str]:
    return [
        attrs["href"] or "" for tag, attrs in parse_tags(html) if attrs.get("hreflang") in languages
    ]


@pytest.mark.parametrize(("url", "extra"), HOSTILE, ids=[url for url, _extra in HOSTILE])
def test_the_language_link_of_a_404_page_stays_on_the_site(client, portal, url, extra):
    response = client.get(url, **extra)

    assert response.status_code == 404
    links = language_links(response.content.decode())
    assert len(links) == 2  # the two other languages
    for link in links:
        assert is_local(link), link


def test_the_reviewed_urls_get_these_links(client, portal):
    english = language_links(
        client.get("/", PATH_INFO="//evil.example/").content.decode(), languages=("en",)
    )
    encoded = language_links(
        client.get("/%2F%2Fevil.example/tiltak/").content.decode(), languages=("en",)
    )

    assert english == ["/evil.example/"]
    assert encoded == ["/evil.example/tiltak/"]


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("/tiltak/", "/en/tiltak/"),
        ("/en/tiltak/", "/tiltak/"),
        ("/", "/en/"),
        ("/en/", "/"),
        ("/tiltak/?omrade=kompetanse", "/en/tiltak/?omrade=kompetanse"),
    ],
)
def test_a_normal_page_links_to_itself_in_the_other_language(client, portal, url, link):
    html = client.get(url).content.decode()
    assert language_links(html, languages=("nb", "en")) == [link]
    # And in Northern Sámi.
    sami = language_links(html, languages=("se",))
    assert sami == ["/se" + url.removeprefix("/en")]


LANGUAGE_LINK = Template("{% load drivkraft %}{% language_url language %}")


@pytest.mark.parametrize(
    ("path", "language", "link"),
    [
        ("//evil.example/", "en", "/evil.example/"),
        ("///evil.example/tiltak/", "en", "/evil.example/tiltak/"),
        ("/\\evil.example/", "en", "/%5Cevil.example/"),
        ("//tiltak/", "en", "/en/tiltak/"),  # a real page once the slashes are one
        ("/tiltak/", "en", "/en/tiltak/"),
    ],
)
def test_the_tag_collapses_leading_slashes(db, path, language, link):
    request = RequestFactory().get("/")
    request.path = request.path_info = path

    url = LANGUAGE_LINK.render(Context({"request": request, "language": language}))

    assert url == link
    assert is_local(url)


def test_the_tag_falls_back_to_the_home_page_when_the_result_is_not_local(db, monkeypatch):
    monkeypatch.setattr(
        "drivkraft.core.templatetags.drivkraft.translate_url",
        lambda url, language: "https://evil.example/" if url != "/" else f"/{language}/",
    )
    request = RequestFactory().get("/tiltak/")

    assert LANGUAGE_LINK.render(Context({"request": request, "language": "en"})) == "/en/"


@pytest.mark.parametrize("path", ["//evil.example/", "///evil.example/tiltak/", "/\\evil.example/"])
def test_the_503_page_tries_again_on_this_site(path):
    request = RequestFactory().get("/", {"side": "2"})
    request.path = request.path_info = path

    response = database_unavailable(request)

    retry = [href for href, text in links(response.content.decode()) if text == "Prøv igjen"]
    assert retry == ["/" + path.lstrip("/").replace("\\", "%5C") + "?side=2"]
    assert is_local(retry[0])
