"""Shared fixtures: a clean cache per test, and a small published programme for the public pages."""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.client import ClientHandler
from django.test.signals import setting_changed
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings
from pytest_django import DjangoAssertNumQueries, DjangoDbBlocker, Settings

from drivkraft.core.fragments import fragments
from drivkraft.core.revision import content_changed
from measures.models import (
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    Programme,
    StatusUpdate,
)
from measures.services import status_update_create
from measures.status import Status
from teams.models import BodyKind, Municipality, Organisation, Person
from tests.measures.factories import (
    DecisionFactory,
    FocusAreaFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
    ProgrammeFactory,
    SubGoalFactory,
)
from tests.teams.factories import (
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

# What the test client returns: the response with the client's additions (`content`, `context`,
# `json()`, …), a class that django-stubs declares for type checking only.
type TestResponse = _MonkeyPatchedWSGIResponse

# Every public page answers within this many queries, whatever the amount of data.
MAX_PAGE_QUERIES = 12

# Fuzz tests (tests/test_fuzz.py): in CI the same examples every run, so a failure repeats.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")

# The fixed addresses of the `portal` fixture's objects.
MEASURE_SLUG = "laerlingloftet"
OTHER_MEASURE_SLUG = "besoksstrategi"
DRAFT_SLUG = "hemmelig-utkast"
ARCHIVED_SLUG = "arkivert-tiltak"
AREA_SLUG = "kompetanse"
OTHER_AREA_SLUG = "reiseliv"
MUNICIPALITY_SLUG = "harstad"

# Unique strings that only hidden (draft or archived) measures carry.
DRAFT_TITLE = "Hemmelig utkast XYZZY"
DRAFT_COMMENT = "Utkastkommentar QWERTY"
ARCHIVED_TITLE = "Arkivert tiltak PLUGH"
ARCHIVED_COMMENT = "Arkivkommentar FROBOZZ"
HIDDEN_STRINGS = [DRAFT_TITLE, DRAFT_COMMENT, ARCHIVED_TITLE, ARCHIVED_COMMENT]

# Every public HTML page, with the `portal` fixture's slugs.
MEASURES_PAGES = [
    "/",
    "/tiltak/",
    f"/tiltak/{MEASURE_SLUG}/",
    "/satsingsomrader/",
    f"/satsingsomrader/{AREA_SLUG}/",
    "/oppdateringer/",
    "/data/",
    "/tilgjengelighet/",
]
TEAMS_PAGES = ["/kommuner/", f"/kommuner/{MUNICIPALITY_SLUG}/", "/organisering/"]
HTML_PAGES = [*MEASURES_PAGES, *TEAMS_PAGES]
FEEDS = [
    "/feed/",
    f"/tiltak/{MEASURE_SLUG}/feed/",
    f"/satsingsomrader/{AREA_SLUG}/feed/",
    f"/kommuner/{MUNICIPALITY_SLUG}/feed/",
]
# The open data (measures/open_data.py): every dataset's files, their schemas and the catalogues.
EXPORTS = [
    "/data/tiltak.csv",
    "/data/tiltak.json",
    "/data/statusoppdateringer.csv",
    "/data/statusoppdateringer.json",
    "/data/indikatorer.csv",
    "/data/indikatorer.json",
    "/data/indikatorverdier.csv",
    "/data/indikatorverdier.json",
    "/data/milepaeler.csv",
    "/data/milepaeler.json",
    "/data/tiltak.schema.json",
    "/data/datapackage.json",
    "/data/katalog.ttl",
    "/data/katalog.jsonld",
]
PUBLIC_URLS = [*HTML_PAGES, *FEEDS, *EXPORTS, "/healthz"]


# One request handler for all tests: building the middleware chain walks the collected static
# files (WhiteNoise) and costs more than most requests. A settings change rebuilds the chain, so
# a test that changes settings sees them exactly as with a fresh client.
_shared_handler: ClientHandler | None = None


def _rebuild_middleware(**kwargs: object) -> None:
    if _shared_handler is not None:
        # Django's own attribute (not in django-stubs): None makes the next request load the
        # middleware afresh, with the settings as they are then.
        _shared_handler._middleware_chain = None  # type: ignore[attr-defined]


setting_changed.connect(_rebuild_middleware, dispatch_uid="tests-rebuild-middleware")


class _ReadStreamedResponse(StreamingHttpResponse):
    """A streamed response whose body the test client has read whole (`content`, `json()`)."""

    body: bytes

    @property
    def content(self) -> bytes:  # type: ignore[override]
        return self.body

    @property
    def text(self) -> str:  # type: ignore[override]
        return self.body.decode(self.charset)


class ReadingClient(Client):
    """The test client, reading a streamed body whole as a browser does: `content` and `json()`
    work on the open data files, and `streaming` still says the response was streamed."""

    def request(self, **request: Any) -> Any:
        response: Any = super().request(**request)
        if response.streaming:
            body = b"".join(response.streaming_content)
            response.__class__ = _ReadStreamedResponse
            response.body = body
        return response


@pytest.fixture
def client() -> Client:
    """pytest-django's `client`, sharing one request handler (cookies stay per test), reading
    streamed bodies whole (`ReadingClient`)."""
    global _shared_handler
    client = ReadingClient()
    if _shared_handler is None:
        _shared_handler = client.handler
    else:
        client.handler = _shared_handler
    return client


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """A request under /en/ leaves English active in the thread (LocaleMiddleware does not reset
    it); code run outside a request in later tests must see the default language again."""
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Each test's writes are rolled back, so the content revision, and with it the page cache
    key, repeats from test to test: a page cached in one test must not answer in the next.
    The rendered fragments are keyed by what they show and so cannot be stale; they are cleared
    too, so that every test renders its templates (a test that patches one sees it used)."""
    cache.clear()
    fragments.clear()
    yield
    cache.clear()
    fragments.clear()


@dataclass
class Portal:
    programme: Programme
    area: FocusArea
    other_area: FocusArea
    goal: Goal
    harstad: Municipality
    narvik: Municipality
    evenes: Municipality
    partner: Organisation
    responsible: Person
    measure: Measure
    other_measure: Measure
    draft: Measure
    archived: Measure
    update: StatusUpdate


@pytest.fixture(scope="module")
def _portal_in_module(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[Portal]:
    """The portal built once per test module, in a transaction rolled back after the module.

    Each test still runs in its own savepoint (the `db` fixture), as with `setUpTestData`.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            data = _build_portal()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def portal(_portal_in_module: Portal, db: None) -> Portal:
    """A current programme with two focus areas, three municipalities and four measures.

    Two measures are public; one is a draft and one is archived, each with a status update, so
    that every page has something to leak if the public filter is missing. A test may change it:
    it gets its own copy of the objects, and its database changes are rolled back.
    """
    return copy.deepcopy(_portal_in_module)


def _build_portal() -> Portal:
    owner = OrganisationFactory(name="Hålogalandsrådet", slug="halogalandsradet")
    programme = ProgrammeFactory(
        name="Program Drivkraft Testprogram",
        short_name="Drivkraft",
        slug="drivkraft",
        owner=owner,
        is_current=True,
        project_goal="Styrke næringslivet i regionen gjennom kommunesamarbeid.",
    )
    SubGoalFactory(programme=programme, number=1, title="Delmål om felles kompetanseløft")
    area = FocusAreaFactory(
        programme=programme,
        name="Kompetanse",
        slug=AREA_SLUG,
        order=1,
        description="Kompetanse for arbeidslivet.",
    )
    other_area = FocusAreaFactory(
        programme=programme, name="Reiseliv", slug=OTHER_AREA_SLUG, order=2
    )
    goal = GoalFactory(focus_area=area, title="Flere fagarbeidere i regionen")
    other_goal = GoalFactory(focus_area=other_area, title="Helårsturisme")
    harstad = MunicipalityFactory(name="Harstad", slug=MUNICIPALITY_SLUG, sami_name="Hárstták")
    narvik = MunicipalityFactory(name="Narvik", slug="narvik")
    evenes = MunicipalityFactory(name="Evenes", slug="evenes")
    partner = OrganisationFactory(name="UiT Norges arktiske universitet", slug="uit")
    responsible = PersonFactory(
        name="Kari Nordmann",
        email="kari@example.org",
        organisation=owner,
        municipality=harstad,
    )
    team = BodyFactory(kind=BodyKind.BUSINESS_TEAM, name="Næringsteamet", slug="naeringsteamet")
    steering = BodyFactory(
        kind=BodyKind.STEERING_GROUP, name="Styringsgruppen", slug="styringsgruppen"
    )
    MembershipFactory(person=responsible, body=team, role="Næringsutvikler")
    MembershipFactory(
        person=PersonFactory(name="Ola Ordfører", municipality=narvik),
        body=steering,
        role="Leder",
    )

    measure = MeasureFactory(
        focus_area=area,
        goal=goal,
        title="Lærlingløftet",
        slug=MEASURE_SLUG,
        summary="Flere lærlinger i små bedrifter.",
        description="Vi vil ha **flere lærlinger**.",
        strategy="Samarbeid med skolene.",
        expected_result="50 nye lærlingplasser.",
        planned_end=dt.date(2026, 12, 31),
        responsible=responsible,
    )
    measure.municipalities.add(harstad, narvik)
    measure.partners.add(partner)
    update = status_update_create(
        measure=measure,
        status=Status.ON_TRACK,
        progress=40,
        comment="Godt i gang med rekrutteringen.",
        author_name="Kari Nordmann",
    )
    indicator = IndicatorFactory(measure=measure, name="Nye lærlingplasser", unit="plasser")
    IndicatorValueFactory(indicator=indicator, date=dt.date(2025, 1, 1), value=Decimal("12"))
    IndicatorFactory(measure=None, focus_area=area, name="Fagbrev i regionen", unit="fagbrev")
    MilestoneFactory(
        measure=measure,
        title="Avtale med skolene",
        due_date=dt.date(2025, 2, 1),
        completed_on=dt.date(2025, 1, 20),
        order=0,
    )
    MilestoneFactory(
        measure=measure, title="Første kull tatt opp", due_date=dt.date(2030, 8, 15), order=1
    )

    other_measure = MeasureFactory(
        focus_area=other_area,
        goal=other_goal,
        title="Besøksstrategi",
        slug=OTHER_MEASURE_SLUG,
        responsible=responsible,
    )
    other_measure.municipalities.add(evenes)

    draft = MeasureFactory(
        focus_area=area, goal=goal, title=DRAFT_TITLE, slug=DRAFT_SLUG, is_published=False
    )
    archived = MeasureFactory(focus_area=area, goal=goal, title=ARCHIVED_TITLE, slug=ARCHIVED_SLUG)
    for hidden, comment in ((draft, DRAFT_COMMENT), (archived, ARCHIVED_COMMENT)):
        hidden.municipalities.add(harstad)
        hidden.related.add(measure)
        status_update_create(measure=hidden, status=Status.ON_TRACK, progress=10, comment=comment)
        # Leak traps in the milestones and decisions too: a hidden measure's never show.
        MilestoneFactory(measure=hidden, title=comment, due_date=dt.date(2020, 1, 1))
        DecisionFactory(measure=hidden, question=comment)
        DecisionFactory(
            measure=hidden, question=comment, decided_on=dt.date(2024, 1, 1), decision=comment
        )
    # Archived after its update: an archived measure takes no new ones.
    archived.archived_at = timezone.now()
    archived.save()

    measure.refresh_from_db()
    return Portal(
        programme=programme,
        area=area,
        other_area=other_area,
        goal=goal,
        harstad=harstad,
        narvik=narvik,
        evenes=evenes,
        partner=partner,
        responsible=responsible,
        measure=measure,
        other_measure=other_measure,
        draft=draft,
        archived=archived,
        update=update,
    )


def add_measures(portal: Portal, count: int, *, prefix: str = "ekstra") -> list[Measure]:
    """`count` more published measures, each with municipalities, a partner, two status updates
    and an indicator with values; half share the portal measure's goal and every tenth is related
    to it. Bulk inserts, so a test can add hundreds cheaply."""
    today = timezone.localdate()
    statuses = [Status.ON_TRACK, Status.DELAYED, Status.COMPLETED, Status.STOPPED]
    measures = []
    for n in range(count):
        status = statuses[n % len(statuses)]
        measures.append(
            Measure(
                focus_area=portal.area if n % 2 else portal.other_area,
                goal=portal.goal if n % 2 else None,
                title=f"{prefix.capitalize()} tiltak {n:04d}",
                slug=f"{prefix}-tiltak-{n:04d}",
                summary="Et ekstra tiltak.",
                description="Med **Markdown**.",
                planned_start=dt.date(2024, 1, 1),
                planned_end=dt.date(2025, 1, 1) + dt.timedelta(days=n),
                forecast_end=dt.date(2025, 6, 1),
                status=status,
                progress=100 if status == Status.COMPLETED else n % 100,
                responsible=portal.responsible,
                is_published=True,
                last_status_update_at=timezone.now() - dt.timedelta(days=n),
            )
        )
    Measure.objects.bulk_create(measures)
    municipalities = [portal.harstad, portal.narvik, portal.evenes]
    Measure.municipalities.through.objects.bulk_create(
        Measure.municipalities.through(measure_id=m.pk, municipality_id=municipality.pk)
        for i, m in enumerate(measures)
        for municipality in municipalities[: 1 + i % 3]
    )
    Measure.partners.through.objects.bulk_create(
        Measure.partners.through(measure_id=m.pk, organisation_id=portal.partner.pk)
        for m in measures
    )
    Measure.related.through.objects.bulk_create(
        Measure.related.through(from_measure_id=a, to_measure_id=b)
        for m in measures[::10]
        for a, b in ((m.pk, portal.measure.pk), (portal.measure.pk, m.pk))
    )
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            measure=m,
            date=today - dt.timedelta(days=days),
            previous_status=Status.NOT_STARTED if days else Status.ON_TRACK,
            status=Status.ON_TRACK if days else m.status,
            progress=m.progress if not days else min(m.progress, 10),
            comment=f"Oppdatering av {m.title}.",
        )
        for m in measures
        for days in (30, 0)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            measure=m,
            name=f"Indikator for {m.title}",
            unit="deltakere",
            baseline=Decimal(0),
            baseline_date=dt.date(2024, 1, 1),
            target=Decimal(100),
            target_date=dt.date(2027, 12, 31),
        )
        for m in measures
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, date=dt.date(2024, month, 1), value=Decimal(month * 5))
        for i in indicators
        for month in (3, 6, 9)
    )
    content_changed()  # bulk inserts send no signals
    return measures


class _TagCollector(HTMLParser):
    """Start tags, and the text of each <h1> and <a>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h1: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "h1":
            self._open = "h1"
            self.h1.append("")
        elif tag == "a":
            self._open = "a"
            self.links.append((dict(attrs).get("href") or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "h1":
            self.h1[-1] += data
        elif self._open == "a":
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def _collect(html: str) -> _TagCollector:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector


_FORM_STAMP = re.compile(rb'(name="stamp" value=")[^"]*(")')


def same_page(content: bytes) -> bytes:
    """A page's bytes with each form's signed time stamp blanked: every response gets a fresh
    one (drivkraft.core.formstamp), the rest of a cached page is the same."""
    return _FORM_STAMP.sub(rb"\1\2", content)


def parse_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag of an HTML document as (name, attributes), read by the standard parser."""
    return _collect(html).tags


def headings(html: str) -> list[str]:
    """The text of each <h1>, whitespace collapsed."""
    return [" ".join(h.split()) for h in _collect(html).h1]


def links(html: str) -> set[tuple[str, str]]:
    """Every link as (href, its text with whitespace collapsed)."""
    return {(href, " ".join(text.split())) for href, text in _collect(html).links}


def plain(html: str) -> str:
    """The text of an HTML document or fragment, tags dropped and whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def progress_values(html: str, label: str) -> list[int]:
    """The values of the <progress> bars with this accessible name."""
    return [
        int(attrs["value"] or 0)
        for tag, attrs in parse_tags(html)
        if tag == "progress" and attrs.get("aria-label") == label
    ]


def distribution(html: str) -> dict[str, int]:
    """A status distribution's figures as {status value: count}, from its text list."""
    items = html.split('class="distribution__list"', 1)[1].split("</ul>", 1)[0]
    return {
        status: int(count)
        for status, count in re.findall(r'status--([\w-]+)"[\s\S]*?<strong>(\d+)</strong>', items)
    }


def assert_query_count_is_constant(
    client: Client,
    portal: Portal,
    settings: Settings,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    django_assert_num_queries: DjangoAssertNumQueries,
    url: str,
) -> None:
    """`url` answers within MAX_PAGE_QUERIES queries with one published measure, and with the
    same number with 200: no query per measure (N+1)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    Measure.objects.filter(pk=portal.other_measure.pk).update(is_published=False)
    assert Measure.objects.public().count() == 1

    with django_assert_max_num_queries(MAX_PAGE_QUERIES) as one:
        assert client.get(url).status_code == 200

    add_measures(portal, 199)
    assert Measure.objects.public().count() == 200
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200
