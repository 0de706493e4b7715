"""Content from users can never run script in a visitor's browser.

Content comes in through the admin's forms (measures, with Markdown sanitised by nh3; people,
organisations, municipalities), status updates, the CSV/Excel import, login attempts and report
titles. Each path is fed script payloads, and every place the content comes out (public pages and
their htmx fragments, Atom feeds, open data, the admin, the report HTML) must show it inert:
escaped, or stripped.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from drivkraft.core.revision import content_changed
from measures.models import Measure
from measures.services import measure_set_published
from measures.status import Status
from reports import pdf as engine
from reports.models import Report
from teams.roles import PROJECT_LEADER
from tests.admin_area.conftest import form_data, make_staff_user
from tests.conftest import (
    FEEDS,
    HTML_PAGES,
    MEASURE_SLUG,
    Portal,
    TestResponse,
    parse_tags,
    plain,
)
from tests.reports.conftest import FakeRender

MARK = "XSSMARK"
# Raw HTML, the way a browser would meet it if it were not escaped.
HTML_PAYLOADS = [
    f'<script>alert("{MARK}-script")</script>',
    f'<img src=x onerror=alert("{MARK}-img")>',
    f'<svg onload=alert("{MARK}-svg")><script>alert(1)</script></svg>',
    f"\"><b onmouseover=alert('{MARK}-quote')>x</b>' onfocus='alert(1)' autofocus x='",
    f"<a href=\"javascript:alert('{MARK}-link')\">lenke</a>",
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    '<object data="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"></object>',
    "<details open ontoggle=alert(1)>x</details><base href=//example.org/>",
]
# Markdown's own ways to make links and images.
MARKDOWN_PAYLOADS = [
    f'[lenke]( javascript:alert("{MARK}-md") )',
    "[lenke](JaVaScRiPt:alert(1))",
    "[lenke](java&#x09;script:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![bilde](javascript:alert(1)) ![svg](data:image/svg+xml,<svg onload=alert(1)>)",
    '[tittel](https://example.org "\\" onmouseover=\\"alert(1)")',
    "[x](vbscript:msgbox(1)) <javascript:alert(1)>",
]
# For long text fields (Markdown or plain).
TEXT = f"Vanlig tekst {MARK}.\n\n" + "\n\n".join(HTML_PAYLOADS + MARKDOWN_PAYLOADS)
# For names: short enough for every name field (100 characters), breaking out of attributes.
NAME = f"\"'><img src=x onerror=alert(1)>{MARK}"

ALLOWED_SCRIPT_SOURCES = ("/static/", "/admin/jsi18n/")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "applet"}


def active_content(html: str) -> list[str]:
    """Everything in an HTML document or fragment that could run script or load what we did not
    put there."""
    found = []
    for tag, attrs in parse_tags(html):
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"event handler {name} on <{tag}>")
            url = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and url.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"{url[:20]} in {name} on <{tag}>")
        if tag == "script":
            src = attrs.get("src")
            if src is None and attrs.get("type") not in ("application/json", "application/ld+json"):
                found.append("inline <script>")
            elif src is not None and not src.startswith(ALLOWED_SCRIPT_SOURCES):
                found.append(f"<script src={src}>")
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        if tag == "img" and not (attrs.get("src") or "").startswith("/static/"):
            found.append(f"<img src={attrs.get('src')}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    return found


def test_the_check_finds_active_content():
    assert all(active_content(payload) for payload in HTML_PAYLOADS[:3] + HTML_PAYLOADS[4:])
    assert active_content(f'<b x="{HTML_PAYLOADS[3]}">') != []  # breaks out of an attribute
    assert active_content('<img src="/static/x.svg"><script src="/static/x.js"></script>') == []


def assert_inert(response: TestResponse, *, shows_mark: bool = True) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert active_content(html) == []
    if shows_mark:  # the content really is on the page, as text
        assert MARK in plain(html)
    return html


# Stored content, whatever path it came in by -------------------------------------------------


@pytest.fixture
def hostile(portal: Portal) -> Portal:
    """The portal with a payload in every text a user can write."""
    measure, area, update = portal.measure, portal.area, portal.update
    measure.title = f"Lærlingløftet {NAME}"
    measure.summary = measure.description = TEXT
    measure.strategy = measure.expected_result = TEXT
    measure.save()
    area.name = f"Kompetanse {NAME}"
    area.description = TEXT
    area.save()
    portal.goal.title = NAME
    portal.goal.save()
    portal.programme.name = f"Program {NAME}"
    portal.programme.project_goal = TEXT
    portal.programme.save()
    portal.harstad.name = f"Harstad {NAME}"
    portal.harstad.save()
    portal.partner.name = portal.partner.short_name = NAME
    portal.partner.save()
    portal.responsible.name = portal.responsible.title = NAME
    portal.responsible.save()
    indicator = measure.indicators.get()
    indicator.name = indicator.unit = NAME
    indicator.save()
    type(update).objects.filter(pk=update.pk).update(comment=TEXT, author_name=NAME)
    for membership in portal.responsible.memberships.all():
        membership.role = NAME
        membership.save()
    content_changed()
    return portal


HX = {"HX-Request": "true"}
PUBLIC_PAGES = [
    *HTML_PAGES,
    *[f"/en{url}" for url in HTML_PAGES],
    "/tiltak/?q=l%C3%A6rling",
    "/oppdateringer/?kommune=harstad",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_show_stored_payloads_inert(client, hostile, url):
    # Not every page shows user text (the accessibility statement, the open-data page).
    assert_inert(client.get(url), shows_mark=False)


@pytest.mark.parametrize("url", ["/tiltak/?q=l%C3%A6rling", "/oppdateringer/?kommune=harstad"])
def test_htmx_fragments_show_stored_payloads_inert(client, hostile, url):
    assert_inert(client.get(url, headers=HX))


def test_measure_page_shows_every_field_and_strips_what_markdown_must_not_keep(client, hostile):
    html = assert_inert(client.get(f"/tiltak/{MEASURE_SLUG}/"))

    # Titles and names are escaped text; the description's Markdown keeps its harmless links
    # and loses the others' targets.
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    prose = html.split('class="prose"', 1)[1].split("</div>", 1)[0]
    hrefs = [attrs.get("href") for tag, attrs in parse_tags(prose) if tag == "a"]
    assert [href for href in hrefs if href] == ["https://example.org"]


@pytest.mark.parametrize(
    "url",
    [*FEEDS, "/en/feed/"],
)
def test_feeds_show_stored_payloads_inert(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed; still well-formed
    for element in feed.iter():
        if element.get("type") == "html":
            # A feed reader renders this as HTML.
            assert active_content(element.text or "") == []
        elif element.tag in {f"{atom}title", f"{atom}name"}:
            pass  # text: a reader shows it as it is
    assert MARK in response.content.decode()


@pytest.mark.parametrize(
    ("url", "content_type"),
    [("/data/tiltak.csv", "text/csv"), ("/data/tiltak.json", "application/json")],
)
def test_open_data_is_never_html(client, hostile, url, content_type):
    response = client.get(url)

    assert response["Content-Type"].startswith(content_type)
    assert response["X-Content-Type-Options"] == "nosniff"
    # Open data carries the text exactly as written; it is data, not a page.
    assert NAME in response.content.decode()


def test_json_open_data_round_trips_the_text(client, hostile):
    rows = json.loads(client.get("/data/tiltak.json").content)["tiltak"]

    assert f"Lærlingløftet {NAME}" in [row["tittel"] for row in rows]


ADMIN_PAGES = [
    "/admin/",
    "/admin/measures/measure/",
    "/admin/measures/measure/?q=XSSMARK",
    "/admin/measures/measure/{measure}/change/",
    "/admin/measures/measure/{measure}/status/",
    "/admin/measures/measure/{measure}/history/",
    "/admin/measures/statusupdate/",
    "/admin/measures/statusupdate/{update}/change/",
    "/admin/measures/focusarea/{area}/change/",
    "/admin/measures/indicator/",
    "/admin/teams/person/",
    "/admin/teams/person/{person}/change/",
    "/admin/teams/organisation/",
    "/admin/teams/municipality/",
]


@pytest.fixture
def leader_client(client: Client, db: None) -> Client:
    user = make_staff_user("leder", PROJECT_LEADER, first_name=NAME)
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_show_stored_payloads_inert(leader_client, hostile, url):
    url = url.format(
        measure=hostile.measure.pk,
        update=hostile.update.pk,
        area=hostile.area.pk,
        person=hostile.responsible.pk,
    )

    assert_inert(leader_client.get(url), shows_mark=url != "/admin/")


def test_report_html_shows_stored_payloads_inert(leader_client, hostile):
    query = (
        "scope=program&period_start=2024-01-01"
        f"&period_end={timezone.localdate().isoformat()}&title=Rapport"
    )

    html = assert_inert(leader_client.get(f"/rapporter/ny/forhandsvisning/?{query}"))

    assert "<img src=x" not in html


# Each way in, through its own form ----------------------------------------------------------


def test_measure_admin_form(leader_client, portal):
    url = f"/admin/measures/measure/{portal.measure.pk}/change/"
    data = form_data(leader_client.get(url), "measure_form")
    data |= {"title": f"Lærlingløftet {NAME}", "summary": TEXT, "description": TEXT}

    # The description preview renders the Markdown without saving.
    preview = leader_client.post(url, data | {"_preview": "Forhåndsvis"})
    assert_inert(preview)
    response = leader_client.post(url, data)

    assert response.status_code == 302
    assert_inert(leader_client.get(f"/tiltak/{MEASURE_SLUG}/"))
    assert_inert(leader_client.get(url))
    assert_inert(leader_client.get(f"/admin/measures/measure/{portal.measure.pk}/history/"))


def test_status_update_comment(leader_client, portal):
    url = f"/admin/measures/measure/{portal.measure.pk}/status/"
    response = leader_client.post(
        url,
        {
            "status": Status.DELAYED,
            "progress": "45",
            "date": timezone.localdate().isoformat(),
            "comment": TEXT,
            "expected_version": portal.measure.version,
        },
    )
    assert response.status_code == 302

    for page in [f"/tiltak/{MEASURE_SLUG}/", "/oppdateringer/", "/", url]:
        assert_inert(leader_client.get(page))
    feed = leader_client.get("/feed/")
    summaries = [
        e.text or ""
        for e in ET.fromstring(feed.content).iter()  # noqa: S314 - our own feed
        if e.get("type") == "html"
    ]
    assert MARK in "".join(summaries)
    assert all(active_content(summary) == [] for summary in summaries)


IMPORT_URL = "/admin/measures/measure/import/"
IMPORT_HEADER = ["tittel", "satsingsomrade", "sammendrag", "kortnavn", "beskrivelse", "strategi"]


def _import_rows() -> list[list[str]]:
    return [
        IMPORT_HEADER,
        [f"Importert {NAME}", "Kompetanse", TEXT, "importert-tiltak", TEXT, TEXT],
    ]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("suffix", "make"), [(".csv", _csv), (".xlsx", _xlsx)])
def test_imported_file(leader_client, portal, suffix, make):
    upload = SimpleUploadedFile(f"{NAME}{suffix}", make(_import_rows()))

    preview = leader_client.post(IMPORT_URL, {"file": upload, "_preview": "Sjekk filen"})
    html = assert_inert(preview)
    payload = preview.context["payload"]
    assert f'value="{payload}"' in html  # the signed rows go back as one attribute
    confirmed = leader_client.post(IMPORT_URL, {"_confirm": "Importer", "payload": payload})
    assert confirmed.status_code == 302

    # Imported measures are drafts; once published their page shows the content inert.
    measure = Measure.objects.get(slug="importert-tiltak")
    measure_set_published(measures=[measure], published=True)
    assert_inert(leader_client.get("/tiltak/importert-tiltak/"))
    assert_inert(leader_client.get("/admin/measures/measure/"))  # with the success message


def test_a_rejected_file_echoes_its_values_inert(leader_client, portal):
    rows = [IMPORT_HEADER, [NAME, NAME, NAME, NAME, "", ""]]
    upload = SimpleUploadedFile(f"{NAME}.csv", _csv(rows))

    response = leader_client.post(IMPORT_URL, {"file": upload, "_preview": "Sjekk filen"})

    assert response.context["result"].errors
    assert_inert(response)


def test_a_file_with_unknown_columns_echoes_them_inert(leader_client, portal):
    upload = SimpleUploadedFile("plan.csv", _csv([[*IMPORT_HEADER, NAME], ["a"] * 7]))

    response = leader_client.post(IMPORT_URL, {"file": upload, "_preview": "Sjekk filen"})

    assert_inert(response)


@pytest.mark.parametrize(
    ("model", "field", "public_page"),
    [
        ("person", "name", "/organisering/"),
        ("organisation", "name", None),
        ("municipality", "name", "/kommuner/"),
    ],
)
def test_names_in_the_admin(leader_client, portal, model, field, public_page):
    add_url = f"/admin/teams/{model}/add/"
    data = form_data(leader_client.get(add_url), field=field)
    data |= {field: f"{NAME} {model}", "slug": f"ny-{model}"}
    if model == "municipality":
        data |= {"region": "sor-troms", "joined": "2024-01-01"}
    if model == "person":
        data["organisation"] = portal.partner.pk

    response = leader_client.post(add_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_inert(leader_client.get(f"/admin/teams/{model}/"))
    if model == "person":  # a person shows publicly once they are on a body
        person = portal.responsible.__class__.objects.get(name=f"{NAME} {model}")
        membership = portal.responsible.memberships.first()
        membership.pk = None
        membership.person = person
        membership.save()
    if public_page:
        assert_inert(leader_client.get(public_page))


def test_a_login_attempt_is_echoed_inert(client, db):
    response = client.post("/admin/login/", {"username": NAME, "password": "feil"})

    html = assert_inert(response, shows_mark=False)
    assert 'value="&quot;&#x27;&gt;&lt;img src=x onerror=alert(1)&gt;XSSMARK"' in html


def test_report_title(leader_client, portal, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake_render = FakeRender()
    monkeypatch.setattr(engine, "render_pdf", fake_render)
    data = {
        "scope": "program",
        "period_start": "2024-01-01",
        "period_end": timezone.localdate().isoformat(),
        "title": NAME,
    }

    preview = leader_client.post("/rapporter/ny/", data | {"_preview": "Forhåndsvis"})
    html = assert_inert(preview)
    assert "preview" in preview.context
    query = html.split('href="/rapporter/ny/forhandsvisning/?', 1)[1].split('"', 1)[0]
    assert_inert(leader_client.get(f"/rapporter/ny/forhandsvisning/?{unescape(query)}"))
    issued = leader_client.post("/rapporter/ny/", data | {"_issue": "Utsted"})

    assert issued.status_code == 302
    report = Report.objects.get(title=NAME)
    assert_inert(leader_client.get("/rapporter/"))
    assert_inert(leader_client.get(f"/rapporter/{report.pk}/"))
    assert fake_render.calls == [NAME]  # the PDF's metadata title is text, not markup


# Files ---------------------------------------------------------------------------------------


def test_media_files_are_not_served_directly(client, settings, tmp_path, db):
    """Stored files (the reports' PDFs) are only ever served by a view that checks the reader's
    permission; MEDIA_URL itself answers nothing."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "rapporter").mkdir()
    (tmp_path / "rapporter" / "x.svg").write_text('<svg onload="alert(1)"/>')

    assert client.get("/media/rapporter/x.svg").status_code == 404
    assert client.get("/rapporter/x.svg").status_code in (302, 404)


def test_a_report_pdf_is_served_as_pdf_only(client, db, settings, tmp_path):
    from tests.reports.conftest import make_report

    settings.MEDIA_ROOT = tmp_path
    report = make_report(title=NAME)
    client.force_login(make_staff_user("leder", PROJECT_LEADER))

    response = client.get(f"/rapporter/{report.pk}.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(("inline;", "attachment;"))
    assert NAME not in disposition  # the file name is ours, never the title
