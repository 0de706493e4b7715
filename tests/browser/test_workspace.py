"""Min side in a real browser, for each role at 375 and 1280 px: log in, land on Min side, do the
role's main task, with axe-core clean on every page, no sideways scrolling, every measure title at
least 120 px wide, and screenshots in test-artifacts/screenshots/workspace-*.png.

The actions (clicks, choices, submits; typing is not counted) are counted and printed:
- the measure owner, from Min side to a saved status update (aim: at most 3);
- the steering group, from the front page to the current report PDF, login included (aim: 3);
- the project leader, from Min side to an issued report.
They are also written to test-artifacts/workspace-actions.txt for the closing note.

None of the users is staff: Min side must never need the admin.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from measures.models import Measure, StatusUpdate
from measures.selectors import my_measures
from measures.status import Status
from reports.models import Report, ReportState
from teams.models import Person
from teams.roles import MEASURE_OWNER, PROJECT_LEADER, STEERING_GROUP

from .axe import axe_violations, describe
from .conftest import ARTIFACTS, BrowserProblems, PageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Drivkraft-test-7713"  # noqa: S105 - a throwaway test login
WIDTHS = (375, 1280)
LAYOUT_ALSO = (320, 1024)
MIN_TITLE_WIDTH = 120
# Everything that shows a measure's title on these pages.
TITLES = ".work-item__title, .measure-card__title, .rule-list__title, main h1"


def _user(username: str, role: str, person: str | None = None) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=False)
    # A transactional test database is flushed between tests, data migrations included.
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if person is not None:
        Person.objects.filter(name=person).update(user=user)
    return user


@pytest.fixture
def media(demo_site: str, settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def owner(demo_site: str) -> User:
    return _user("ansvarlig", MEASURE_OWNER, person="Kari Nordmann")


@pytest.fixture
def steering(media: Path) -> User:
    return _user("styret", STEERING_GROUP)


@pytest.fixture
def leader(media: Path) -> User:
    return _user("leder", PROJECT_LEADER)


@dataclass
class Actions:
    """Counts what a user does besides typing: clicks, choices, submits."""

    who: str
    done: list[str] = field(default_factory=list)

    def click(self, target: Locator, what: str) -> None:
        target.click()
        self.done.append(f"click {what}")

    def choose(self, target: Locator, what: str) -> None:
        target.check()
        self.done.append(f"choose {what}")

    def report(self, task: str, width: int) -> int:
        line = f"{self.who} @ {width} px – {task}: {len(self.done)} ({'; '.join(self.done)})"
        print(f"\nACTIONS {line}")
        with (ARTIFACTS / "workspace-actions.txt").open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return len(self.done)


def check(page: Page, problems: BrowserProblems, name: str, width: int) -> None:
    """axe-core, the layout and the browser's complaints, and a screenshot, for the page as it
    is now at `width`; the layout also at 320 and 1024 px."""
    page.wait_for_load_state("load")
    page.screenshot(
        path=ARTIFACTS / "screenshots" / f"workspace-{name}-{width}.png", full_page=True
    )
    violations = axe_violations(page)
    assert violations == [], f"{name} at {width} px:\n{describe(violations)}"
    assert_layout(page, name)
    for other in LAYOUT_ALSO:  # the narrowest phone, and a small laptop between the two
        page.set_viewport_size({"width": other, "height": 900})
        assert_layout(page, f"{name} at {other} px")
    page.set_viewport_size({"width": width, "height": 900})
    assert problems.all() == [], f"{name}: {problems.all()}"


def assert_layout(page: Page, where: str) -> None:
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > inner_width:
        too_wide = page.evaluate(
            """(limit) => [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > limit + 1)
                .slice(-5)
                .map((el) => el.outerHTML.slice(0, 160))""",
            inner_width,
        )
        raise AssertionError(
            f"{where} scrolls sideways: {scroll_width} > {inner_width}; sticking out: {too_wide}"
        )
    titles = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((el) => el.getClientRects().length)
            .map((el) => [el.textContent.trim().slice(0, 60), el.getBoundingClientRect().width])""",
        TITLES,
    )
    narrow = [(text, round(width)) for text, width in titles if width < MIN_TITLE_WIDTH]
    assert narrow == [], f"{where}: measure titles narrower than {MIN_TITLE_WIDTH} px: {narrow}"


def log_in(page: Page, actions: Actions | None, username: str) -> None:
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    button = page.locator("main").get_by_role("button", name="Logg inn")
    if actions is None:
        button.click()
    else:
        actions.click(button, "«Logg inn» (the form)")
    expect(page).to_have_url(re.compile(r"^http://[^/]+/min-side/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Min side")


def named(action: str, title: str) -> re.Pattern[str]:
    """A link's accessible name: the visible action and, for screen readers, whose it is (the
    hidden part is its own box, so Chromium puts a space before its colon)."""
    return re.compile(rf"^{re.escape(action)}\s*: {re.escape(title)}$")


def open_page(new_page: PageFactory, width: int) -> Page:
    return new_page(width=width)


# The measure owner --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_owner_updates_a_status_and_the_public_page_shows_it(
    new_page: PageFactory, owner: User, problems: BrowserProblems, width: int
) -> None:
    page = open_page(new_page, width)
    page.goto("/logg-inn/")
    check(page, problems, "login", width)
    log_in(page, None, "ansvarlig")
    check(page, problems, "owner-home", width)

    rows = my_measures(user=owner, today=timezone.localdate())
    measure = next(r.measure for r in rows if r.measure.status == Status.ON_TRACK)
    comment = f"Anbudet er klaget inn; ny frist til våren ({width} px)."

    actions = Actions("Tiltaksansvarlig")
    actions.click(
        page.get_by_role("link", name=named("Oppdater status", measure.title)), "«Oppdater status»"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(measure.title)
    check(page, problems, "owner-status", width)
    actions.choose(page.get_by_label("Forsinket"), "«Forsinket»")
    page.get_by_label("Framdrift (%)").fill("55")
    page.get_by_label("Kommentar").fill(comment)
    actions.click(
        page.get_by_role("button", name="Lagre statusoppdatering"), "«Lagre statusoppdatering»"
    )

    expect(page.get_by_role("status")).to_contain_text(
        f"Statusen for «{measure.title}» er lagret og vises nå på nettstedet."
    )
    count = actions.report("from Min side to a saved status update", width)
    assert count <= 3
    check(page, problems, "owner-home-saved", width)
    saved = StatusUpdate.objects.filter(measure=measure).latest()
    assert (saved.status, saved.progress, saved.comment) == (Status.DELAYED, 55, comment)

    # The public page shows it at once (the title on Min side links there).
    card = page.locator(f"#tiltak-{measure.slug}")
    card.get_by_role("link", name=measure.title, exact=True).click()
    expect(page.locator(".measure__badge")).to_contain_text("Forsinket")
    expect(page.locator(".timeline").first).to_contain_text(comment)
    check(page, problems, "owner-public-measure", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_contradiction_is_explained_beside_the_form(
    new_page: PageFactory, owner: User, problems: BrowserProblems, width: int
) -> None:
    measure = next(
        r.measure
        for r in my_measures(user=owner, today=timezone.localdate())
        if r.measure.status == Status.ON_TRACK
    )
    page = open_page(new_page, width)
    page.goto(f"/logg-inn/?next=/min-side/tiltak/{measure.slug}/status/")
    page.get_by_label("Brukernavn").fill("ansvarlig")
    page.get_by_label("Passord").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn").click()

    page.get_by_label("Under arbeid etter plan").check()
    page.get_by_label("Framdrift (%)").fill("60")
    page.get_by_label("Forventet slutt").fill("2031-05-31")
    page.get_by_role("button", name="Lagre statusoppdatering").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Forventet slutt 31.05.2031 er etter planlagt slutt")
    expect(summary).to_contain_text("Velg «Forsinket»")
    check(page, problems, "owner-status-error", width)
    # The summary's link leads to the field it is about.
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_status_0")).to_be_focused()
    assert Measure.objects.get(pk=measure.pk).status == Status.ON_TRACK


@pytest.mark.parametrize("width", WIDTHS)
def test_the_owner_edits_the_description_and_records_an_indicator_value(
    new_page: PageFactory, owner: User, problems: BrowserProblems, width: int
) -> None:
    measure = (
        Measure.objects.filter(responsible__user=owner, indicators__isnull=False)
        .distinct()
        .order_by("title")
        .first()
    )
    assert measure is not None, "the demo owner should have a measure with indicators"
    page = open_page(new_page, width)
    page.goto("/logg-inn/")
    log_in(page, None, "ansvarlig")

    page.get_by_role("link", name=named("Rediger beskrivelse", measure.title)).click()
    check(page, problems, "owner-description", width)
    page.get_by_label("Om tiltaket").fill("Ny tekst med **uthevet** ord.\n\n- ett punkt")
    page.evaluate("() => { window.samePage = true; }")  # gone if the page were loaded again
    page.get_by_role("button", name="Forhåndsvis").click()  # htmx: only the preview comes
    preview = page.locator("#preview")
    expect(preview.locator("strong")).to_have_text("uthevet")
    assert page.evaluate("() => window.samePage === true")
    check(page, problems, "owner-description-preview", width)
    assert "uthevet" not in Measure.objects.get(pk=measure.pk).description  # saved nothing
    page.get_by_role("button", name="Lagre beskrivelsen").click()
    expect(page.get_by_role("status")).to_contain_text("er lagret")
    assert "**uthevet**" in Measure.objects.get(pk=measure.pk).description

    page.get_by_role("link", name=named("Registrer indikatorverdier", measure.title)).click()
    check(page, problems, "owner-indicators", width)
    indicator = measure.indicators.order_by("order", "name").first()
    assert indicator is not None
    section = page.locator(f"#indikator-{indicator.pk}")
    section.get_by_label("Dato").fill(timezone.localdate().isoformat())
    section.get_by_label(f"Verdi ({indicator.unit})").fill("42,5")
    section.get_by_role("button", name=named("Registrer verdien", indicator.name)).click()
    expect(page.get_by_role("status")).to_contain_text("er registrert")
    expect(page.locator(f"#indikator-{indicator.pk} table")).to_contain_text("42,5")

    # The same date again is a clear error, not a crash.
    section = page.locator(f"#indikator-{indicator.pk}")
    section.get_by_label("Dato").fill(timezone.localdate().isoformat())
    section.get_by_label(f"Verdi ({indicator.unit})").fill("43")
    section.get_by_role("button", name=named("Registrer verdien", indicator.name)).click()
    expect(page.get_by_role("alert")).to_contain_text("Indikatoren har alt verdien 42,5")
    check(page, problems, "owner-indicators-error", width)


def test_the_description_preview_works_without_javascript(
    nojs_page: Page, owner: User, problems: BrowserProblems
) -> None:
    measure = Measure.objects.filter(responsible__user=owner).order_by("title").first()
    assert measure is not None
    page = nojs_page
    page.goto(f"/logg-inn/?next=/min-side/tiltak/{measure.slug}/beskrivelse/")
    page.get_by_label("Brukernavn").fill("ansvarlig")
    page.get_by_label("Passord").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn").click()

    page.get_by_label("Om tiltaket").fill("Uten *skript*.")
    page.get_by_role("button", name="Forhåndsvis").click()

    expect(page.locator("#preview em")).to_have_text("skript")
    expect(page.get_by_label("Om tiltaket")).to_have_value("Uten *skript*.")
    # axe-core needs JavaScript; the same page with it is checked above.
    page.screenshot(
        path=ARTIFACTS / "screenshots" / "workspace-owner-description-preview-nojs-1280.png",
        full_page=True,
    )
    assert "Uten" not in (Measure.objects.get(pk=measure.pk).description or "")
    assert problems.all() == []


# The steering group -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_steering_group_downloads_the_current_and_an_issued_report(
    new_page: PageFactory, steering: User, problems: BrowserProblems, width: int
) -> None:
    call_command("issue_report", "--tittel", "Statusrapport til møtet", stdout=StringIO())
    issued = Report.objects.get(state=ReportState.ISSUED)
    # The task makes it once per state of the programme, never the request.
    call_command("render_current_report", stdout=StringIO())
    page = open_page(new_page, width)

    page.goto("/")
    actions = Actions("Styringsgruppe")
    actions.click(page.get_by_role("link", name="Logg inn", exact=True), "«Logg inn» (header)")
    log_in(page, actions, "styret")
    check(page, problems, "steering-home", width)

    current = page.get_by_role("link", name="Last ned gjeldende statusrapport (PDF)")
    assert current.get_attribute("href") == "/rapporter/gjeldende.pdf"
    with page.expect_download() as download_info:
        actions.click(current, "«Last ned gjeldende statusrapport (PDF)»")
    count = actions.report("from the front page to the current report PDF", width)
    assert count <= 3
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Tiltakene per satsingsområde" in " ".join(text.split())
    # Min side says when it was made.
    expect(page.locator(".current-report")).to_contain_text("Laget ")

    link = page.get_by_role("link", name=f"{issued.title} (PDF)")
    assert link.get_attribute("href") == f"/rapporter/{issued.pk}.pdf"  # never /media/
    with page.expect_download() as download_info:
        link.click()
    assert hashlib.sha256(Path(download_info.value.path()).read_bytes()).hexdigest() == (
        issued.sha256
    )
    # Reports are in the header for the steering group.
    page.get_by_role("navigation", name="Brukermeny").get_by_role("link", name="Rapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statusrapporter til styringsgruppen")
    check(page, problems, "steering-archive", width)


# The project leader -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_project_leader_issues_a_report_from_min_side(
    new_page: PageFactory, leader: User, problems: BrowserProblems, width: int
) -> None:
    page = open_page(new_page, width)
    page.goto("/logg-inn/")
    log_in(page, None, "leder")
    expect(page.get_by_role("heading", name="Tiltak som trenger oppmerksomhet")).to_be_visible()
    check(page, problems, "leader-home", width)

    actions = Actions("Prosjektleder")
    actions.click(page.get_by_role("link", name="Lag ny rapport"), "«Lag ny rapport»")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny statusrapport")
    check(page, problems, "leader-new-report", width)
    actions.click(page.get_by_role("button", name="Forhåndsvis"), "«Forhåndsvis»")
    expect(page.get_by_role("heading", name="Forhåndsvisning")).to_be_visible()
    actions.click(page.get_by_role("button", name="Utsted"), "«Utsted»")
    expect(page.get_by_text("Rapporten er utstedt.")).to_be_visible(timeout=60_000)
    actions.report("from Min side to an issued report", width)
    assert len(actions.done) <= 3
    check(page, problems, "leader-issued", width)

    report = Report.objects.get(state=ReportState.ISSUED)
    page.get_by_role("navigation", name="Brukermeny").get_by_role("link", name="Min side").click()
    expect(page.get_by_role("link", name=f"{report.title} (PDF)")).to_have_attribute(
        "href", f"/rapporter/{report.pk}.pdf"
    )
