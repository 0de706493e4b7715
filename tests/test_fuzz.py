"""Bad input never yields a server error: every public parameter, path, header and every form,
fed whatever a browser, a script or a confused user could send.

Each test is bounded (40 or 100 examples; the module runs in about 20 seconds); in CI the
examples are derandomised (the `ci` profile in tests/conftest.py), so a failure there repeats
locally with `CI=true`. The explicit @example cases are the server errors this module found.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from measures.importing import COLUMNS
from measures.status import Status
from reports import pdf as engine
from reports.models import Scope
from teams.roles import PROJECT_LEADER
from tests.admin_area.conftest import form_data, make_staff_user
from tests.conftest import AREA_SLUG, MEASURE_SLUG, MUNICIPALITY_SLUG, Portal, TestResponse
from tests.reports.conftest import FakeRender

pytestmark = pytest.mark.fuzz

# Function-scoped fixtures (the database, the client) are shared by a test's examples on purpose:
# each example runs in a savepoint that is rolled back.
fuzz = hypothesis_settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
cheap_fuzz = hypothesis_settings(fuzz, max_examples=100)
costly_fuzz = hypothesis_settings(fuzz, max_examples=40)


# What can be sent ---------------------------------------------------------------------------

# Any character a request can carry: NUL and other control characters, RTL marks, emoji, but no
# lone surrogates (no encoding can send them).
CHARACTERS = st.characters(exclude_categories=["Cs"])
TEXT = st.text(CHARACTERS, max_size=200)
HUGE = st.sampled_from(["9", "å", "\x00", "-", "%", "<"]).flatmap(
    lambda c: st.integers(1_000, 120_000).map(lambda n: c * n)
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["0", "1", "-1", "00", "1e9", "0x10", "١٢", "2147483648", "9" * 40]),
)
DATES = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    st.sampled_from(["0000-00-00", "2024-02-30", "9999-12-31", "0001-01-01", "2024-1-1"]),
)


def value(*known: str) -> st.SearchStrategy[str]:
    """A parameter's value: a valid one, or anything at all."""
    strategies = [TEXT, HUGE, NUMBERS, DATES, st.just("")]
    if known:
        strategies.insert(0, st.sampled_from(known))
    return st.one_of(*strategies)


# Bytes as they arrive percent-encoded: invalid UTF-8, stray separators, overlong sequences.
RAW = st.binary(max_size=200).map(lambda b: quote_from_bytes(b, safe="=&;+"))

PUBLIC_PARAMS = {
    "omrade": (AREA_SLUG, "reiseliv"),
    "kommune": (MUNICIPALITY_SLUG, "narvik", "evenes"),
    "status": tuple(s.value for s in Status),
    "q": ("lærling", "plan"),
    "sortering": ("omrade", "tittel", "status", "framdrift", "oppdatert", "frist"),
    "side": ("1", "2", "999"),
}
PUBLIC_PARAM = st.sampled_from(list(PUBLIC_PARAMS)).flatmap(
    lambda name: st.tuples(st.just(name), value(*PUBLIC_PARAMS[name]))
)
# Repeated and unknown parameters too.
QUERY = st.one_of(
    st.lists(st.one_of(PUBLIC_PARAM, st.tuples(TEXT, TEXT)), max_size=10).map(urlencode),
    RAW,
)

HTMX_HEADERS = st.dictionaries(
    st.sampled_from(
        [
            "HX-Request",
            "HX-Boosted",
            "HX-History-Restore-Request",
            "HX-Current-URL",
            "HX-Current-URL-URI-AutoEncoded",
            "HX-Target",
            "HX-Trigger",
            "HX-Trigger-Name",
            "HX-Trigger-Name-URI-AutoEncoded",
            "HX-Prompt",
            "Accept-Language",
            "If-None-Match",
            "If-Modified-Since",
            "Range",
        ]
    ),
    value("true", "false", "http://testserver/tiltak/", "http://[", "*", '"x"', "en", "nb-NO"),
    max_size=6,
)


def ok(response: TestResponse) -> None:
    assert response.status_code < 500, (response.status_code, response.content[:2000])


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example's writes disappear before the next example starts."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# Public pages --------------------------------------------------------------------------------

LIST_PATHS = ["/tiltak/", "/oppdateringer/", "/data/tiltak.csv", "/data/tiltak.json", "/en/tiltak/"]


@pytest.mark.parametrize("path", LIST_PATHS)
@cheap_fuzz
@given(query=QUERY, htmx=st.booleans())
@example(query="q=%00&side=0&sortering=%FF", htmx=True)
@example(query="&".join(["kommune=harstad"] * 500), htmx=False)
@example(query="side=" + "9" * 5000, htmx=False)
def test_filter_parameters(
    client: Client, portal: Portal, path: str, query: str, htmx: bool
) -> None:
    with rolled_back():
        ok(client.get(f"{path}?{query}", headers={"HX-Request": "true"} if htmx else {}))


SEGMENT = st.one_of(
    TEXT.map(lambda text: quote(text, safe="")),
    RAW,
    st.sampled_from(["", "..", "%2e%2e", "%00", "en", "nb", "EN", "xx", MEASURE_SLUG, "-1"]),
)
PATH_TEMPLATES = [
    "/{}/",
    "/{}/tiltak/",
    "/tiltak/{}/",
    "/tiltak/{}/feed/",
    "/satsingsomrader/{}/",
    "/satsingsomrader/{}/feed/",
    "/kommuner/{}/",
    "/kommuner/{}/feed/",
    "/en/kommuner/{}/",
    "/rapporter/{}/",
    "/static/{}",
    "/admin/{}/",
]


@cheap_fuzz
@given(template=st.sampled_from(PATH_TEMPLATES), segment=SEGMENT, query=QUERY)
@example(template="/tiltak/{}/feed/", segment=MEASURE_SLUG, query="")
@example(template="/{}/tiltak/", segment="%C0%AF", query="")
def test_paths_feeds_and_language_prefixes(client, portal, template, segment, query):
    with rolled_back():
        ok(client.get(template.format(segment) + (f"?{query}" if query else "")))


@cheap_fuzz
@given(
    path=st.sampled_from(
        ["/", "/tiltak/", f"/tiltak/{MEASURE_SLUG}/", "/oppdateringer/", "/feed/", "/healthz"]
    ),
    headers=HTMX_HEADERS,
)
@example(path="/tiltak/", headers={"HX-Request": "true", "HX-Current-URL": "http://["})
@example(path="/tiltak/", headers={"If-Modified-Since": "Sun, 31 Dec 99999 00:00:00 GMT"})
def test_request_headers(client, portal, path, headers):
    with rolled_back():
        ok(client.get(path, headers=headers))


# Forms, as a logged-in project leader ---------------------------------------------------------


@pytest.fixture
def leader_client(db: None) -> Client:
    client = Client()
    client.force_login(make_staff_user("leder", PROJECT_LEADER))
    return client


@costly_fuzz
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "status": value(*(s.value for s in Status)),
            "progress": value("0", "50", "100"),
            "date": value("2025-01-01", "2024-06-30"),
            "comment": value("Forsinket fordi."),
            "forecast_end": value("2026-12-31"),
            "expected_version": value("1", "2"),
        },
    )
)
@example(data={"status": Status.COMPLETED.value, "progress": "99", "expected_version": "1"})
@example(data={"progress": "9" * 5000, "expected_version": "9" * 30})
def test_status_update_form(leader_client, portal, data):
    url = f"/admin/measures/measure/{portal.measure.pk}/status/"
    with rolled_back():
        ok(leader_client.post(url, data))


MEASURE_FIELDS = [
    "title",
    "slug",
    "focus_area",
    "goal",
    "summary",
    "description",
    "strategy",
    "expected_result",
    "planned_start",
    "planned_end",
    "forecast_end",
    "responsible",
    "co_owners",
    "municipalities",
    "partners",
    "related",
    "is_published",
    "expected_version",
    "_preview",
]


@pytest.fixture
def measure_form(leader_client: Client, portal: Portal) -> dict[str, Any]:
    return form_data(
        leader_client.get(f"/admin/measures/measure/{portal.measure.pk}/change/"), "measure_form"
    )


@costly_fuzz
@given(
    changes=st.dictionaries(
        st.sampled_from(MEASURE_FIELDS), st.one_of(value(), st.lists(value(), max_size=3))
    ),
    add=st.booleans(),
)
@example(changes={"focus_area": "9" * 30, "municipalities": ["9" * 30, "-1"]}, add=False)
@example(changes={"title": "\x00", "slug": "ü"}, add=True)
def test_measure_admin_form(leader_client, portal, measure_form, changes, add):
    url = (
        "/admin/measures/measure/add/"
        if add
        else f"/admin/measures/measure/{portal.measure.pk}/change/"
    )
    with rolled_back():
        ok(leader_client.post(url, measure_form | changes))


ADMIN_PATHS = [
    "/admin/measures/measure/{}/change/",
    "/admin/measures/measure/{}/status/",
    "/admin/measures/measure/{}/history/",
    "/admin/measures/measure/{}/history/1/",
    "/admin/measures/measure/1/history/{}/",
    "/admin/measures/statusupdate/{}/change/",
    "/admin/teams/person/{}/change/",
    "/rapporter/{}/",
    "/rapporter/{}.pdf",
]


@cheap_fuzz
@given(template=st.sampled_from(ADMIN_PATHS), segment=SEGMENT)
@example(template="/admin/measures/measure/{}/status/", segment="abc")
@example(template="/admin/measures/measure/{}/status/", segment="9" * 30)
@example(template="/rapporter/{}/", segment="9" * 30)
def test_admin_and_report_paths(leader_client, portal, template, segment):
    with rolled_back():
        ok(leader_client.get(template.format(segment)))


ADMIN_PARAMS = st.sampled_from(
    ["q", "o", "p", "e", "all", "status__exact", "focus_area__id__exact", "arkivert", "_to_field"]
)


@cheap_fuzz
@given(
    path=st.sampled_from(
        ["/admin/measures/measure/", "/admin/measures/statusupdate/", "/admin/teams/person/"]
    ),
    params=st.lists(st.tuples(ADMIN_PARAMS, value()), max_size=5).map(urlencode),
)
@example(path="/admin/measures/measure/", params="q=%00")
@example(path="/admin/measures/measure/", params="q=" + "%25_" * 30_000)
@example(path="/admin/measures/statusupdate/", params="date__year=99999999999")
def test_admin_list_parameters(leader_client, portal, path, params):
    with rolled_back():
        ok(leader_client.get(f"{path}?{params}"))


def _table(cells: list[list[str]], kind: str) -> bytes:
    if kind == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in cells:
            # Excel cannot hold control characters at all (openpyxl refuses them).
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    delimiter = {"csv": ";", "txt": ","}[kind]
    return "\n".join(delimiter.join(row) for row in cells).encode()


IMPORT_HEADER = st.lists(st.sampled_from(list(COLUMNS)), min_size=1, max_size=8, unique=True)
IMPORT_CELLS = st.one_of(value("Kompetanse", "Harstad; Narvik", "2025-01-01"), HUGE)
IMPORT_FILE = st.one_of(
    st.tuples(
        st.sampled_from(["csv", "txt", "xlsx"]),
        IMPORT_HEADER.flatmap(
            lambda header: st.lists(
                st.lists(IMPORT_CELLS, min_size=len(header), max_size=len(header)), max_size=4
            ).map(lambda rows: [header, *rows])
        ),
    ).map(lambda t: (f"plan.{t[0]}", _table(t[1], t[0]))),
    st.tuples(
        st.one_of(st.sampled_from(["plan.csv", "plan.xlsx", "plan.pdf", ".csv"]), TEXT),
        st.binary(max_size=3000),
    ),
)


def _file_name(name: str) -> str:
    """A name the test client can send (it refuses «/» or «..» before any request is made)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base if base.strip(".") else f"x{base}"


@costly_fuzz
@given(upload=IMPORT_FILE, payload=st.one_of(st.none(), value()))
@example(
    upload=("plan.csv", b"tittel;satsingsomrade;sammendrag\n" + b"x" * 200_000 + b";a;b"),
    payload=None,
)
@example(
    upload=("plan.csv", b"tittel;satsingsomrade;sammendrag\n\x00;Kompetanse;\x00"), payload=None
)
@example(
    upload=("plan.csv", b"tittel;satsingsomrade;sammendrag\nNul\x00;Kompetanse;Med\x00"),
    payload=None,
)
@example(upload=("plan.xlsx", b"PK\x03\x04" + b"\x00" * 100), payload=None)
@example(upload=("plan.csv", b"\xef\xbb\xbf"), payload="x:y:z")
def test_import_upload(leader_client, portal, upload, payload):
    name, content = upload
    url = "/admin/measures/measure/import/"
    with rolled_back():
        if payload is not None:
            ok(leader_client.post(url, {"_confirm": "Importer", "payload": payload}))
        response = leader_client.post(
            url,
            {"file": SimpleUploadedFile(_file_name(name), content), "_preview": "Sjekk filen"},
        )
        ok(response)
        signed = (response.context or {}).get("payload")
        if signed:  # whatever passed the check can be imported, too
            ok(leader_client.post(url, {"_confirm": "Importer", "payload": signed}))


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> FakeRender:
    fake = FakeRender()
    monkeypatch.setattr(engine, "render_pdf", fake)
    return fake


REPORT_FORM = st.fixed_dictionaries(
    {},
    optional={
        "scope": value(*(s.value for s in Scope)),
        "focus_area": value("1", "2"),
        "municipality": value("1", "2"),
        "period_start": DATES,
        "period_end": DATES,
        "title": value("Statusrapport"),
        "_preview": st.just("Forhåndsvis"),
        "_issue": st.just("Utsted"),
    },
)


@costly_fuzz
@given(data=REPORT_FORM, as_preview_page=st.booleans())
@example(
    data={"scope": "program", "period_start": "0001-01-01", "period_end": "2024-01-01"},
    as_preview_page=True,
)
@example(
    data={"scope": "program", "period_start": "0001-01-01", "period_end": "0001-01-01"},
    as_preview_page=False,
)
def test_report_forms(
    leader_client, portal, fake_render, settings, tmp_path, data, as_preview_page
):
    settings.MEDIA_ROOT = tmp_path
    with rolled_back():
        if as_preview_page:
            ok(leader_client.get(f"/rapporter/ny/forhandsvisning/?{urlencode(data)}"))
        else:
            ok(leader_client.post("/rapporter/ny/", data))


@cheap_fuzz
@given(
    data=st.fixed_dictionaries(
        {}, optional={"username": value("leder"), "password": value(), "next": value("/admin/")}
    )
)
@example(data={"username": "\x00", "password": "\x00"})
@example(data={"username": "leder", "password": "x", "next": "//example.org"})
def test_login_form(client, db, data):
    with rolled_back():
        ok(client.post("/admin/login/", data))
