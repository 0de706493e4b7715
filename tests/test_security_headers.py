"""Every public page sends a strict Content-Security-Policy and needs nothing it forbids."""

from __future__ import annotations

import pytest

from tests.conftest import EXPORTS, FEEDS, HTML_PAGES, parse_tags

ALL_HTML = [
    *HTML_PAGES,
    *[f"/en{url}" for url in HTML_PAGES],
    "/tiltak/?omrade=kompetanse&kommune=harstad&status=etter-plan&sortering=status",
    "/tiltak/?q=finnes+ikke",  # an empty result
    "/tiltak/?status=tull&side=abc",  # notes
    "/oppdateringer/?kommune=harstad",
]
# Public responses that are not HTML pages; error pages too.
OTHER_URLS = [
    *FEEDS,
    *EXPORTS,
    "/en/feed/",
    "/en/data/tiltak.json",
    "/healthz",
    "/tiltak/finnes-ikke/",
    "/en/kommuner/finnes-ikke/",
]


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


def assert_strict_headers(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    script_src = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in csp.get("style-src", csp["default-src"])
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", OTHER_URLS)
def test_security_headers(client, portal, url):
    response = client.get(url)
    assert response.status_code in (200, 404)

    assert_strict_headers(response)


def test_not_modified_keeps_the_policy(client, portal):
    etag = client.get("/tiltak/")["ETag"]

    response = client.get("/tiltak/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


OTHER_ORIGIN = ("http:", "https:", "//")


def _offences(html: str) -> list[str]:
    """Everything in a page that the strict policy would block, or that runs inline code."""
    offences = []
    for tag, attrs in parse_tags(html):
        src = attrs.get("src") or ""
        if tag == "script" and not src and attrs.get("type") != "application/ld+json":
            offences.append("inline <script>")
        if tag == "script" and src.startswith(OTHER_ORIGIN):
            offences.append(f"script from another origin: {src}")
        if tag == "style":
            offences.append("<style> element")
        href = attrs.get("href") or ""
        if tag == "link" and attrs.get("rel") == "stylesheet" and href.startswith(OTHER_ORIGIN):
            offences.append(f"stylesheet from another origin: {href}")
        for name, value in attrs.items():
            if name == "style":
                offences.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                offences.append(f"event handler {name} on <{tag}>")
            url = (value or "").strip().lower()
            if name in {"href", "src", "action", "formaction"} and url.startswith("javascript:"):
                offences.append(f"javascript: URL in {name} on <{tag}>")
    return offences


@pytest.mark.parametrize("url", ALL_HTML)
def test_page_has_strict_headers_and_needs_no_inline_script_or_style(client, portal, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()

    assert_strict_headers(response)
    assert _offences(html) == []
    # htmx comes from our own static files, never a CDN.
    sources = [attrs["src"] for tag, attrs in parse_tags(html) if tag == "script"]
    assert any("htmx" in src for src in sources)
    assert all(src.startswith("/static/") for src in sources)


@pytest.mark.parametrize("url", ["/tiltak/?omrade=kompetanse", "/oppdateringer/?status=tull"])
def test_htmx_fragment_needs_no_inline_script_or_style(client, portal, url):
    response = client.get(url, headers={"HX-Request": "true"})

    assert "<html" not in response.content.decode()
    assert _offences(response.content.decode()) == []
    assert_strict_headers(response)


def test_the_check_finds_offences():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="x()">x</p><a href="JavaScript:alert(1)">x</a>'
        '<script type="application/ld+json">{}</script>'
        '<script src="https://cdn.example/htmx.js"></script>'
        '<link rel="stylesheet" href="//cdn.example/x.css">'
    )

    assert len(_offences(html)) == 7
