"""Every page kind is valid HTML: the Nu Html Checker (vnu.jar) finds no error.

The demo programme is loaded, every page of `PAGES` is rendered with the test client as its role,
in Norwegian and in English, and written to a temporary folder; then one run of the checker (one
JVM: it takes seconds to start) reads them all. Warnings are allowed and listed; errors fail the
test, each with its page, line and message. `make vnu` runs only this test and prints the count of
errors and warnings per page kind (the table is also written to `test-artifacts/vnu.txt`).

The checker is `tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar`, pinned in
`tools/vnu/package-lock.json` (`npm ci --ignore-scripts --prefix tools/vnu`), run by Debian's Java
(`apt-get install default-jre-headless`). Without either the test is skipped, except in CI
(CI=true), where it fails: `.ci/run` installs both. `VNU_JAR` and `JAVA` may name others.

How to add a page: append a `Page` to `PAGES` with
- `kind`: its name in the table (a page kind, not a URL; the same kind twice adds up);
- `path`: its address on the Norwegian site; `{placeholders}` are the demo objects that
  `placeholders()` names (add one there if the page needs another object);
- `role`: who looks at it: `anonymous`, `owner` (Tiltaksansvarlig), `steering` (Styringsgruppe)
  or `leader` (Prosjektleder, who also has the admin);
- `status`: the status it answers with, if not 200; `data`: a form to POST instead of a GET (its
  values may hold placeholders too), to check the page as it shows errors or a preview;
- `languages=("nb",)` for a page that has no English version under /en/ (the admin).
`test_every_page_is_in_the_list` fails when a page of the site (outside the admin) is neither in
`PAGES` nor in `NOT_PAGES`, the addresses that are no HTML page, with the reason.
Feeds, PDFs and the data files are no HTML pages and stay out; so do the htmx fragments, which are
parts of pages already checked whole.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import (
    Resolver404,
    ResolverMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
)
from pytest_django import Settings

from measures.demo import load_demo
from measures.demo.data import PROJECT_LEADER
from measures.demo.users import MEASURE_OWNER_PERSON, STEERING_GROUP_PERSON
from measures.models import Decision, Indicator, Measure, Milestone, Programme
from measures.status import Status
from reminders.mail import pause_token
from reports.models import ReportState
from reports.snapshot import build_snapshot
from teams.models import Person
from teams.roles import MEASURE_OWNER, STEERING_GROUP
from teams.roles import PROJECT_LEADER as LEADER_ROLE
from tests.reports.conftest import make_report
from tests.teams.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / "tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)
JAVA = os.environ.get("JAVA") or shutil.which("java") or "/usr/bin/java"
SUMMARY_FILE = ROOT / "test-artifacts" / "vnu.txt"
ADMIN = ("nb",)


@dataclass(frozen=True)
class Page:
    kind: str
    path: str
    role: str = "anonymous"
    status: int = 200
    data: Mapping[str, str] | None = None
    languages: tuple[str, ...] = ("nb", "en")


# Every page kind of the portal, as its role sees it. The module's docstring says how to add one.
PAGES: list[Page] = [
    # The public site
    Page("forside", "/"),
    Page("tiltak", "/tiltak/"),
    Page(
        "tiltak, filtrert",
        "/tiltak/?omrade={area}&kommune={municipality}&status=etter-plan&status=forsinket"
        "&sortering=oppdatert",
    ),
    Page("tiltak, søk uten treff", "/tiltak/?q=finnesikkexyz"),
    Page("tiltak, side 2", "/tiltak/?side=2"),
    Page("tiltak, ugyldige filtre", "/tiltak/?status=tull&omrade=tull&side=x"),
    Page("tiltak, ett", "/tiltak/{measure}/"),
    Page("tiltak, ett uten indikatorer", "/tiltak/{quiet_measure}/"),
    Page("satsingsområder", "/satsingsomrader/"),
    Page("satsingsområde", "/satsingsomrader/{area}/"),
    Page("kommuner", "/kommuner/"),
    Page("kommune", "/kommuner/{municipality}/"),
    Page("organisering", "/organisering/"),
    Page("oppdateringer", "/oppdateringer/"),
    Page("oppdateringer, filtrert", "/oppdateringer/?omrade={area}&kommune={municipality}"),
    Page("oppdateringer, side 2", "/oppdateringer/?side=2"),
    Page("åpne data", "/data/"),
    Page("tilgjengelighetserklæring", "/tilgjengelighet/"),
    Page("innebygd kommune", "/innebygd/kommuner/{municipality}/"),
    Page("innebygd tiltak", "/innebygd/tiltak/{measure}/"),
    Page("404", "/finnes-ikke/", status=404),
    # Logging in, Min side and the reports
    Page("innlogging", "/logg-inn/"),
    Page(
        "innlogging, feil passord",
        "/logg-inn/",
        data={"username": "ansvarlig", "password": "feil-passord"},
    ),
    Page("min side, tiltaksansvarlig", "/min-side/", role="owner"),
    Page("min side, styringsgruppe", "/min-side/", role="steering"),
    Page("min side, prosjektleder", "/min-side/", role="leader"),
    Page("oppdater status", "/min-side/tiltak/{own}/status/", role="owner"),
    Page(
        "oppdater status, med feil",
        "/min-side/tiltak/{own}/status/",
        role="owner",
        data={"status": "ikke-startet", "progress": "50", "expected_version": "{own_version}"},
    ),
    Page(
        "oppdater status, utdatert",
        "/min-side/tiltak/{own}/status/",
        role="owner",
        data={"status": "forsinket", "progress": "50", "comment": "Sent.", "expected_version": "0"},
    ),
    Page("rediger beskrivelse", "/min-side/tiltak/{own}/beskrivelse/", role="owner"),
    Page(
        "rediger beskrivelse, forhåndsvisning",
        "/min-side/tiltak/{own}/beskrivelse/",
        role="owner",
        data={
            "description": "## Mål\n\nFlere **lærlinger**, se [planen](https://example.org/).",
            "expected_version": "{own_version}",
            "_preview": "1",
        },
    ),
    Page(
        "rediger beskrivelse, utdatert",
        "/min-side/tiltak/{own}/beskrivelse/",
        role="owner",
        data={"description": "Ny tekst.", "expected_version": "0", "_save": "1"},
    ),
    Page("indikatorverdier", "/min-side/tiltak/{own_indicator_measure}/indikatorer/", role="owner"),
    Page(
        "indikatorverdier, med feil",
        "/min-side/tiltak/{own_indicator_measure}/indikatorer/",
        role="owner",
        data={
            "indicator": "{own_indicator}",
            "indikator-{own_indicator}-date": "2999-01-01",
            "indikator-{own_indicator}-value": "mange",
        },
    ),
    Page("milepæler", "/min-side/tiltak/{milestone_measure}/milepaeler/", role="leader"),
    Page(
        "milepæler, med feil",
        "/min-side/tiltak/{milestone_measure}/milepaeler/",
        role="leader",
        data={"title": "", "due_date": "i morgen"},
    ),
    Page(
        "endre milepæl",
        "/min-side/tiltak/{milestone_measure}/milepaeler/{milestone}/",
        role="leader",
    ),
    Page(
        "slett milepæl",
        "/min-side/tiltak/{milestone_measure}/milepaeler/{milestone}/slett/",
        role="leader",
    ),
    Page(
        "beslutning, prosjektleder",
        "/min-side/tiltak/{decision_measure}/beslutning/",
        role="leader",
    ),
    Page(
        "beslutning, styringsgruppe",
        "/min-side/tiltak/{decision_measure}/beslutning/",
        role="steering",
    ),
    Page("pause påminnelser", "/paminnelser/pause/{pause_token}/"),
    Page("pause påminnelser, utført", "/paminnelser/pause/{pause_token}/", data={}),
    Page("pause påminnelser, ugyldig lenke", "/paminnelser/pause/tull/", status=400),
    Page("403", "/min-side/tiltak/{not_own}/status/", role="owner", status=403),
    Page("rapporter", "/rapporter/", role="steering"),
    Page("rapporter, prosjektleder", "/rapporter/", role="leader"),
    Page("rapport", "/rapporter/{report}/", role="steering"),
    Page(
        "rapporter sammenlignet", "/rapporter/{report}/sammenlign/{later_report}/", role="steering"
    ),
    Page("rapport under arbeid", "/rapporter/{pending_report}/", role="leader"),
    Page("ny rapport", "/rapporter/ny/", role="leader"),
    Page(
        "ny rapport, forhåndsvisning",
        "/rapporter/ny/",
        role="leader",
        data={
            "scope": "program",
            "period_start": "2019-01-01",
            "period_end": "2019-12-31",
            "title": "Statusrapport 2019",
        },
    ),
    Page(
        "rapport, forhåndsvisning som HTML",
        "/rapporter/ny/forhandsvisning/?scope=program&period_start=2019-01-01"
        "&period_end=2019-12-31&title=Statusrapport+2019",
        role="leader",
    ),
    Page("gjeldende rapport lages", "/rapporter/gjeldende.pdf", role="steering", status=503),
    # The admin pages made with our templates
    Page("admin: innlogging", "/admin/login/", languages=ADMIN),
    Page("admin: forside", "/admin/", role="leader", languages=ADMIN),
    Page("admin: tiltak", "/admin/measures/measure/", role="leader", languages=ADMIN),
    Page(
        "admin: tiltak, filtrert",
        "/admin/measures/measure/?status__exact=forsinket&q=a",
        role="leader",
        languages=ADMIN,
    ),
    Page(
        "admin: endre tiltak",
        "/admin/measures/measure/{measure_id}/change/",
        role="leader",
        languages=ADMIN,
    ),
    Page(
        "admin: endre tiltak, utdatert og med feil",
        "/admin/measures/measure/{measure_id}/change/",
        role="leader",
        data={"title": "", "expected_version": "1"},
        languages=ADMIN,
    ),
    Page("admin: nytt tiltak", "/admin/measures/measure/add/", role="leader", languages=ADMIN),
    Page(
        "admin: oppdater status",
        "/admin/measures/measure/{own_id}/status/",
        role="leader",
        languages=ADMIN,
    ),
    Page(
        "admin: oppdater status, gjennomført tiltak",
        "/admin/measures/measure/{measure_id}/status/",
        role="leader",
        languages=ADMIN,
    ),
    Page(
        "admin: oppdater status, med feil",
        "/admin/measures/measure/{own_id}/status/",
        role="leader",
        data={"status": "tull", "progress": "101", "expected_version": "{own_version}"},
        languages=ADMIN,
    ),
    Page(
        "admin: arkiver tiltak",
        "/admin/measures/measure/{measure_id}/delete/",
        role="leader",
        languages=ADMIN,
    ),
    Page("admin: import", "/admin/measures/measure/import/", role="leader", languages=ADMIN),
    Page(
        "admin: historikk",
        "/admin/measures/measure/{measure_id}/history/",
        role="leader",
        languages=ADMIN,
    ),
    Page(
        "admin: historisk versjon",
        "/admin/measures/measure/{measure_id}/history/{history_id}/",
        role="leader",
        languages=ADMIN,
    ),
]


# The site's addresses that are no HTML page, by URL name; `test_every_page_is_in_the_list` wants
# every other one in PAGES. Names ending in these are data files and feeds.
NOT_PAGES_ENDING = ("_csv", "_json", "_schema", "_ttl", "_jsonld", "_package", "feed")
NOT_PAGES = {
    "healthz": "a health check for the load balancer",
    "reports:download": "a PDF",
    "reports:retry": "POST only, redirects",
    "workspace:logout": "POST only, redirects",
    "workspace:reminders": "POST only, redirects",
    "workspace:milestone_done": "POST only, redirects (with htmx: the list, checked whole)",
    "workspace:milestone_move": "POST only, redirects (with htmx: the list, checked whole)",
}


def placeholders() -> dict[str, str]:
    """The demo objects that the paths of `PAGES` name, as {placeholder: value}."""
    owner = Person.objects.get(name=MEASURE_OWNER_PERSON)
    public = Measure.objects.public().order_by("slug")
    # Under way (a completed measure has no status form), and one with indicators.
    own = public.filter(responsible=owner).exclude(status=Status.COMPLETED).first()
    own_indicator = (
        Indicator.objects.filter(measure__in=public.filter(responsible=owner))
        .order_by("pk")
        .first()
    )
    not_own = public.exclude(responsible=owner).exclude(co_owners=owner).first()
    # A page with indicators and a history, and one without indicators.
    measure = public.filter(indicators__isnull=False, status_updates__isnull=False).first()
    quiet = public.filter(indicators__isnull=True).first()
    assert own and not_own and measure and quiet, "the demo programme has changed"
    municipality = measure.municipalities.order_by("slug").first()
    history = measure.history.order_by("-history_id").first()
    assert municipality is not None and history is not None
    assert own_indicator is not None and own_indicator.measure is not None
    milestone = Milestone.objects.filter(completed_on__isnull=True).order_by("pk").first()
    decision = Decision.objects.filter(decided_on__isnull=True).order_by("pk").first()
    assert milestone is not None and decision is not None
    issued, later = (
        make_report(
            title=f"Statusrapport {year}",
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            snapshot=build_snapshot(
                programme=Programme.objects.get(is_current=True),
                title=f"Statusrapport {year}",
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                today=dt.date(year + 1, 1, 15),
            ),
        )
        for year in (2019, 2020)
    )
    pending = make_report(title="Statusrapport som lages", state=ReportState.QUEUED)
    return {
        "measure": measure.slug,
        "measure_id": str(measure.pk),
        "history_id": str(history.history_id),
        "quiet_measure": quiet.slug,
        "area": measure.focus_area.slug,
        "municipality": municipality.slug,
        "own": own.slug,
        "own_version": str(own.version),
        "own_id": str(own.pk),
        "own_indicator": str(own_indicator.pk),
        "own_indicator_measure": own_indicator.measure.slug,
        "not_own": not_own.slug,
        "report": str(issued.pk),
        "later_report": str(later.pk),
        "milestone": str(milestone.pk),
        "milestone_measure": milestone.measure.slug,
        "decision_measure": decision.measure.slug,
        "pending_report": str(pending.pk),
    }


def logins(values: dict[str, str]) -> dict[str, User]:
    """One user per role, linked to the demo person who has the role; adds the placeholders that
    name a user to `values`."""

    def user(username: str, group: str, person: str, *, staff: bool = False) -> User:
        made: User = UserFactory(username=username, is_staff=staff)
        made.groups.add(Group.objects.get_or_create(name=group)[0])
        Person.objects.filter(name=person).update(user=made)
        return made

    users = {
        "owner": user("ansvarlig", MEASURE_OWNER, MEASURE_OWNER_PERSON),
        "steering": user("styret", STEERING_GROUP, STEERING_GROUP_PERSON),
        "leader": user("leder", LEADER_ROLE, PROJECT_LEADER, staff=True),
    }
    # The owner's link in a reminder mail.
    values["pause_token"] = pause_token(users["owner"])
    return users


@dataclass(frozen=True)
class Rendered:
    page: Page
    url: str
    file: Path


def file_of(message: dict[str, Any]) -> Path:
    """The file a message of the checker is about (its `url`, such as `file:/tmp/x.html`)."""
    return Path(unquote(urlparse(message.get("url", "")).path)).resolve()


@dataclass
class Findings:
    """The checker's messages, by the page they are about."""

    rendered: list[Rendered]
    messages: list[dict[str, Any]]
    _by_path: dict[Path, Rendered] = field(init=False)

    def __post_init__(self) -> None:
        self._by_path = {item.file.resolve(): item for item in self.rendered}

    def errors(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] in {"error", "non-document-error"}]

    def warnings(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == "info" and m.get("subType") == "warning"]

    def page_of(self, message: dict[str, Any]) -> Rendered | None:
        return self._by_path.get(file_of(message))

    def describe(self, message: dict[str, Any]) -> str:
        item = self.page_of(message)
        where = f"{item.page.kind} ({item.url})" if item else message.get("url", "?")
        extract = " ".join(str(message.get("extract", "")).split())
        return f"{where}, line {message.get('lastLine', '?')}: {message['message']} [{extract}]"

    def table(self) -> str:
        """Pages, errors and warnings per page kind, both languages together."""

        def count(messages: list[dict[str, Any]]) -> Counter[str]:
            return Counter(item.page.kind for m in messages if (item := self.page_of(m)))

        pages = Counter(item.page.kind for item in self.rendered)
        errors, warnings = count(self.errors()), count(self.warnings())
        width = max(len(kind) for kind in pages)

        def row(kind: str, pages: int, errors: int, warnings: int) -> str:
            return f"{kind:<{width}}  {pages:>5}  {errors:>6}  {warnings:>8}"

        rows = [f"{'page kind':<{width}}  pages  errors  warnings"]
        # In the order of PAGES.
        rows += [row(kind, pages[kind], errors[kind], warnings[kind]) for kind in pages]
        rows.append(row("total", pages.total(), errors.total(), warnings.total()))
        return "\n".join(rows)


def localised(path: str, language: str) -> str:
    return path if language == "nb" else f"/{language}{path}"


def render_pages(folder: Path) -> list[Rendered]:
    """Every page of `PAGES` in each of its languages, written to `folder`."""
    load_demo()
    values = placeholders()
    users = logins(values)
    clients: dict[str, Client] = {}
    rendered: list[Rendered] = []
    for number, page in enumerate(PAGES):
        if page.role not in clients:
            clients[page.role] = Client()
            if page.role != "anonymous":
                clients[page.role].force_login(users[page.role])
        client = clients[page.role]
        for language in page.languages:
            url = localised(page.path.format_map(values), language)
            if page.data is None:
                response = client.get(url)
            else:
                data = {key: value.format_map(values) for key, value in page.data.items()}
                response = client.post(url, data)
            assert response.status_code == page.status, (page.kind, url, response.status_code)
            assert response["Content-Type"].startswith("text/html"), (page.kind, url)
            file = folder / f"{number:03d}-{language}.html"
            file.write_bytes(response.content)
            rendered.append(Rendered(page, url, file))
    return rendered


def run_checker(files: list[Path]) -> list[dict[str, Any]]:
    """The checker's messages about these files, from one run of it."""
    command = [
        JAVA,
        # The checker needs a deeper stack than Java's default (its README); a run of a few
        # seconds is done before the optimising compiler would pay off.
        "-Xss4m",
        "-XX:TieredStopAtLevel=1",
        "-jar",
        str(VNU_JAR),
        "--format",
        "json",
        "--stdout",
        "--exit-zero-always",
        *map(str, files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0 and result.stdout, result.stderr or result.stdout
    messages: list[dict[str, Any]] = json.loads(result.stdout)["messages"]
    return messages


def checker_missing() -> str | None:
    if shutil.which(JAVA) is None:
        return f"Java not found ({JAVA}; apt-get install default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"vnu.jar not found at {VNU_JAR} (npm ci --ignore-scripts --prefix tools/vnu)"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# A page with the errors issue 14 found, checked in the same run: the checker, as run here, sees
# them, so its silence on our pages means something.
CONTROL = (
    '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Kontroll</title></head>'
    '<body><main><h1>Tiltak</h1><form hx-get="/tiltak/"><button>Vis</button></form>'
    '<h3>Kort</h3><p><time datetime="2026-11-29T16:06:53.696052+01:00">29. november</time></p>'
    "</main></body></html>"
)


@pytest.mark.vnu
@pytest.mark.django_db
def test_every_page_kind_is_valid_html(tmp_path: Path, settings: Settings) -> None:
    if (missing := checker_missing()) is not None:
        if in_ci():
            pytest.fail(f"{missing}; the HTML check may not be skipped in CI.", pytrace=False)
        pytest.skip(missing)
    settings.MEDIA_ROOT = tmp_path / "media"  # the issued report's PDF
    pages = tmp_path / "pages"
    pages.mkdir()
    rendered = render_pages(pages)
    control = tmp_path / "control.html"
    control.write_text(CONTROL, encoding="utf-8")
    messages = run_checker([control, *(item.file for item in rendered)])

    control = control.resolve()
    caught = " | ".join(m["message"] for m in messages if file_of(m) == control)
    assert "Attribute “hx-get” not allowed" in caught, caught
    assert "follows the heading “h1”" in caught, caught
    assert "“2026-11-29T16:06:53.696052+01:00”" in caught, caught

    findings = Findings(rendered, [m for m in messages if file_of(m) != control])
    report = "\n".join(
        [findings.table(), *(f"warning: {findings.describe(m)}" for m in findings.warnings())]
    )
    SUMMARY_FILE.parent.mkdir(exist_ok=True)
    SUMMARY_FILE.write_text(report + "\n", encoding="utf-8")
    print(report)
    # Every message is about one of our pages (not, say, about the command line).
    assert all(findings.page_of(m) for m in findings.messages), findings.messages
    errors = findings.errors()
    shown = [findings.describe(m) for m in errors[:40]]
    assert not errors, "\n".join([*shown, f"({len(errors)} errors in all; see {SUMMARY_FILE})"])


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_page_is_in_the_list() -> None:
    """A new page of the site (outside the admin) is checked too: it is in PAGES, or it is named
    in NOT_PAGES with the reason it is no HTML page."""
    site = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if not name.startswith("admin:") and not name.endswith(NOT_PAGES_ENDING)
    }
    listed = set()
    for page in PAGES:
        path = page.path.split("?")[0].format_map(defaultdict(lambda: "1"))
        if (match := _resolves(path)) is not None:
            listed.add(match.view_name)
    missing = site - listed - NOT_PAGES.keys()
    assert not missing, (
        f"Add these pages to PAGES in {__name__} (or, if they are no HTML page, to NOT_PAGES): "
        f"{sorted(missing)}"
    )


def _resolves(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None


# What the checker found before and a new page easily copies, looked for without Java, so it is
# caught on any machine: htmx attributes without `data-` (htmx reads `data-hx-*` just as well),
# and ARIA roles on a table's parts (HTML forbids them on its cells; browsers keep a table a table
# whatever its CSS display, as in the cards of `.table--cards`).
COPIED_MISTAKES = {
    "write data-hx-* instead": re.compile(r"(?<![\w-])hx-[a-z-]+\s*="),
    "no role on a table's parts": re.compile(
        r"<(?:table|thead|tbody|tfoot|tr|th|td)\b[^>]*\srole="
    ),
}


def test_no_template_repeats_a_known_mistake() -> None:
    sources = [*ROOT.glob("templates/**/*.html")] + [
        path
        for app in ("drivkraft", "measures", "teams", "reports", "workspace", "reminders")
        for path in (ROOT / app).rglob("*.py")
    ]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {advice}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for advice, pattern in COPIED_MISTAKES.items()
        if pattern.search(line)
    ]
    assert len(sources) > 50
    assert not found, "\n".join(found)
