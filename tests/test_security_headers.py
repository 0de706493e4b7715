"""Every response sends a strict Content-Security-Policy and the other security headers, pages need
nothing the policy forbids, and every cookie is host-only, Secure, HttpOnly and SameSite=Lax."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http.response import HttpResponseBase
from pytest_django import Settings

from reports import pdf as engine
from reports.models import Report
from teams.roles import PROJECT_LEADER
from tests.admin_area.conftest import PASSWORD, make_staff_user
from tests.conftest import (
    AREA_SLUG,
    EXPORTS,
    FEEDS,
    HTML_PAGES,
    MEASURE_SLUG,
    MUNICIPALITY_SLUG,
    Portal,
    parse_tags,
)
from tests.reports.conftest import FakeRender, make_report, render_current

HX = {"HX-Request": "true"}

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


def policy(response: HttpResponseBase) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


def assert_strict_headers(response: HttpResponseBase) -> None:
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
    assert_feature_headers(response)


# Features a page of ours never needs, and must not let anything embedded use either.
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "midi"]


def assert_feature_headers(response: HttpResponseBase) -> None:
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    features = {
        name.strip(): allowed
        for name, allowed in (
            part.split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
    }
    for feature in DENIED_FEATURES:
        assert features[feature] == "()", feature
    assert set(features.values()) == {"()"}  # nothing is allowed anywhere


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
    assert_feature_headers(response)


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
    # htmx comes from our own static files, never a CDN; a JSON-LD data block is no script.
    sources = [
        attrs.get("src") or ""
        for tag, attrs in parse_tags(html)
        if tag == "script" and attrs.get("type") != "application/ld+json"
    ]
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


# Every kind of response over https, as a browser sees it in production ---------------------

ONE_YEAR = 60 * 60 * 24 * 365


def assert_production_headers(response: HttpResponseBase, *, static: bool = False) -> None:
    """The headers of the issue «secure by default», on a response to an https request."""
    csp = policy(response)
    assert csp["default-src"] in (["'self'"], ["'none'"])
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp["default-src"])
        nonces = {source for source in sources if source.startswith("'nonce-")}
        assert set(sources) <= {"'self'", "'none'", *nonces}
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    hsts = dict(
        (part.strip().split("=", 1) + [""])[:2]
        for part in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= ONE_YEAR
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"no-referrer", "same-origin", "strict-origin"} | {
        "strict-origin-when-cross-origin"
    }
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert_feature_headers(response)
    if not static:  # WhiteNoise answers before the clickjacking middleware; frame-ancestors holds
        assert response["X-Frame-Options"] == "DENY"


@dataclass
class Site:
    portal: Portal
    leader: User
    report: Report
    history_id: int


@pytest.fixture
def site(
    portal: Portal, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Site:
    """The portal, a project leader, an issued report and the current status, with static files
    served by WhiteNoise from the finders (as it serves them from STATIC_ROOT after collectstatic
    in production)."""
    settings.MEDIA_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = True
    leader = make_staff_user("leder", PROJECT_LEADER)
    report = make_report(title="Statusrapport for styringsgruppen")
    monkeypatch.setattr(engine, "render_pdf", FakeRender())
    render_current()
    history_id = portal.measure.history.latest("history_id").history_id
    return Site(portal, leader, report, history_id)


# name: (who is logged in, method, URL, expected status, request headers)
PAGES: dict[str, tuple[str | None, str, str, int, dict[str, str]]] = {
    "home": (None, "get", "/", 200, {}),
    "measure list": (None, "get", "/tiltak/?kommune=harstad&sortering=status", 200, {}),
    "measure list fragment": (None, "get", "/tiltak/?omrade=kompetanse", 200, HX),
    "measure detail": (None, "get", f"/tiltak/{MEASURE_SLUG}/", 200, {}),
    "focus area": (None, "get", f"/satsingsomrader/{AREA_SLUG}/", 200, {}),
    "municipality": (None, "get", f"/kommuner/{MUNICIPALITY_SLUG}/", 200, {}),
    "open data csv": (None, "get", "/data/tiltak.csv", 200, {}),
    "open data json": (None, "get", "/data/tiltak.json?status=etter-plan", 200, {}),
    "accessibility": (None, "get", "/tilgjengelighet/", 200, {}),
    "english home": (None, "get", "/en/", 200, {}),
    "english measure": (None, "get", f"/en/tiltak/{MEASURE_SLUG}/", 200, {}),
    "not found": (None, "get", "/finnes-ikke/", 404, {}),
    "measure not found": (None, "get", "/tiltak/finnes-ikke/", 404, {}),
    "feed": (None, "get", "/feed/", 200, {}),
    "measure feed": (None, "get", f"/tiltak/{MEASURE_SLUG}/feed/", 200, {}),
    "healthz": (None, "get", "/healthz", 200, {}),
    "static css": (None, "get", "/static/css/drivkraft.css", 200, {}),
    "static svg": (None, "get", "/static/img/favicon.svg", 200, {}),
    "static htmx": (None, "get", "/static/django_htmx/htmx-2.min.js", 200, {}),
    "static admin": (None, "get", "/static/admin/css/base.css", 200, {}),
    "static not found": (None, "get", "/static/finnes-ikke.css", 404, {}),
    "admin login page": (None, "get", "/admin/login/", 200, {}),
    "admin for anonymous": (None, "get", "/admin/", 302, {}),
    "login": (None, "post", "/admin/login/", 302, {}),
    "logout": ("leader", "post", "/admin/logout/", 200, {}),
    "admin index": ("leader", "get", "/admin/", 200, {}),
    "admin changelist": ("leader", "get", "/admin/measures/measure/?q=l%C3%A6rling", 200, {}),
    "admin change form": ("leader", "get", "/admin/measures/measure/{measure}/change/", 200, {}),
    "admin status update": ("leader", "get", "/admin/measures/measure/{measure}/status/", 200, {}),
    "admin history": ("leader", "get", "/admin/measures/measure/{measure}/history/", 200, {}),
    "admin history version": (
        "leader",
        "get",
        "/admin/measures/measure/{measure}/history/{history}/",
        200,
        {},
    ),
    "admin import": ("leader", "get", "/admin/measures/measure/import/", 200, {}),
    "admin people": ("leader", "get", "/admin/teams/person/", 200, {}),
    "report archive": ("leader", "get", "/rapporter/", 200, {}),
    "report new": ("leader", "get", "/rapporter/ny/", 200, {}),
    "report preview": (
        "leader",
        "get",
        "/rapporter/ny/forhandsvisning/?scope=program&period_start=2024-01-01"
        "&period_end=2024-06-30&title=Forh%C3%A5ndsvisning",
        200,
        {},
    ),
    "report detail": ("leader", "get", "/rapporter/{report}/", 200, {}),
    "report pdf": ("leader", "get", "/rapporter/{report}.pdf", 200, {}),
    "current status pdf": ("leader", "get", "/rapporter/gjeldende.pdf", 200, {}),
    "report form with errors": ("leader", "post", "/rapporter/ny/", 200, {}),
    "reports for anonymous": (None, "get", "/rapporter/", 302, {}),
    "english report archive": ("leader", "get", "/en/rapporter/", 200, {}),
    "admin regex filter refused": (
        "leader",
        "get",
        "/admin/measures/measure/?title__regex=(",
        400,
        {},
    ),
    "language switch of a hostile path": (None, "get", "/%2F%2Fevil.example/tiltak/", 404, {}),
    "open data csv with formulas": (None, "get", "/data/tiltak.csv?bust=1", 200, {}),
}


@pytest.mark.parametrize("name", PAGES)
def test_every_kind_of_response_carries_the_security_headers(client, site, name):
    role, method, url, status, headers = PAGES[name]
    if role == "leader":
        client.force_login(site.leader)
    url = url.format(measure=site.portal.measure.pk, history=site.history_id, report=site.report.pk)
    data = {"username": "leder", "password": PASSWORD} if name == "login" else {}

    response = getattr(client, method)(url, data, secure=True, headers=headers)

    assert response.status_code == status, response
    assert_production_headers(response, static=url.startswith("/static/"))
    if response.get("Content-Type", "").startswith("text/html") and status == 200:
        assert _offences(response.content.decode()) == []


def test_static_not_modified_keeps_the_policy(client, site):
    etag = client.get("/static/img/favicon.svg", secure=True)["ETag"]

    response = client.get("/static/img/favicon.svg", secure=True, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert_production_headers(response, static=True)


def test_every_cookie_is_host_only_secure_http_only_and_same_site(client, site):
    """Through a whole visit: login page, login, an admin page, a report, logout."""
    cookies: dict[str, list[Any]] = {}
    for method, url, data in [
        ("get", "/admin/login/", {}),
        ("post", "/admin/login/", {"username": "leder", "password": PASSWORD}),
        ("get", "/admin/", {}),
        ("get", "/rapporter/ny/", {}),
        ("post", "/admin/logout/", {}),
    ]:
        response = getattr(client, method)(url, data, secure=True)
        assert response.status_code in (200, 302)
        for name, morsel in response.cookies.items():
            cookies.setdefault(name, []).append(morsel)

    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid"}
    for morsels in cookies.values():
        for morsel in morsels:
            # __Host-: only over https, for this host alone (no Domain) and the whole site.
            assert morsel["secure"] is True
            assert morsel["domain"] == ""
            assert morsel["path"] == "/"
            assert morsel["samesite"] == "Lax"
            if morsel.value:  # Django deletes a cookie without HttpOnly; it carries nothing
                assert morsel["httponly"] is True
    # Logging out ends the session in the browser too.
    assert cookies["__Host-sessionid"][-1]["max-age"] == 0


def test_no_script_of_ours_reads_the_csrf_cookie():
    """The CSRF cookie is HttpOnly; that holds only while no script needs it."""
    scripts = [
        path
        for root in [Path(settings.BASE_DIR) / "static", Path(settings.BASE_DIR) / "templates"]
        for path in root.rglob("*")
        if path.suffix in {".js", ".html"} and "csrftoken" in path.read_text().lower()
    ]

    assert scripts == []
