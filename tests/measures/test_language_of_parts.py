"""Language of parts (WCAG 2.1 SC 3.1.2): on the English pages the Norwegian text users entered
is marked `lang="nb"`; the English interface around it is not; the Norwegian pages stay as they
were."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from measures.models import Indicator, IndicatorValue, SubGoal
from teams.models import Body
from tests.conftest import (
    AREA_SLUG,
    FEEDS,
    HTML_PAGES,
    MEASURE_SLUG,
    MUNICIPALITY_SLUG,
    Portal,
)
from tests.measures.test_feeds import ATOM, entries, parse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

MEASURE = f"/tiltak/{MEASURE_SLUG}/"
AREA = f"/satsingsomrader/{AREA_SLUG}/"
MUNICIPALITY = f"/kommuner/{MUNICIPALITY_SLUG}/"

# What users entered, in Norwegian, as the `portal` fixture and `extra_content` below have it.
CONTENT = {
    "Lærlingløftet",
    "Besøksstrategi",
    "Flere lærlinger i små bedrifter.",
    "Vi vil ha",
    "flere lærlinger",
    "Samarbeid med skolene.",
    "50 nye lærlingplasser.",
    "Godt i gang med rekrutteringen.",
    "Kompetanse",
    "Kompetanse for arbeidslivet.",
    "Reiseliv",
    "Flere fagarbeidere i regionen",
    "Helårsturisme",
    "Flere fagbrev innen 2027.",
    "Nye lærlingplasser",
    "plasser",
    "Lærlingplasser som er lyst ut.",
    "– Første opptak",
    "Fagbrev i regionen",
    "Program Drivkraft Testprogram",
    "Styrke næringslivet i regionen gjennom kommunesamarbeid.",
    "Flere arbeidsplasser i regionen.",
    "Delmål om felles kompetanseløft",
    "Godt i rute.",
    "Hålogalandsrådet",
    "UiT Norges arktiske universitet",
    "Næringsteamet",
    "Styringsgruppen",
    "Næringsutviklerne i kommunene.",
    "Næringsutvikler",
    "Leder",
    "Rådgiver",
}

# Per English page, content that must be there (so that no check passes on an empty page).
SHOWN = {
    "/": [
        "Program Drivkraft Testprogram",
        "Hålogalandsrådet",
        "Styrke næringslivet i regionen gjennom kommunesamarbeid.",
        "Flere arbeidsplasser i regionen.",
        "Delmål om felles kompetanseløft",
        "Godt i rute.",
        "Kompetanse",
        "Lærlingløftet",
        "Godt i gang med rekrutteringen.",
    ],
    "/tiltak/": ["Lærlingløftet", "Flere lærlinger i små bedrifter.", "Kompetanse"],
    MEASURE: [
        "Lærlingløftet",
        "Flere lærlinger i små bedrifter.",
        "Vi vil ha",
        "flere lærlinger",
        "Samarbeid med skolene.",
        "50 nye lærlingplasser.",
        "Godt i gang med rekrutteringen.",
        "Kompetanse",
        "Flere fagarbeidere i regionen",
        "Nye lærlingplasser",
        "plasser",
        "Lærlingplasser som er lyst ut.",
        "– Første opptak",
        "Hålogalandsrådet",
        "UiT Norges arktiske universitet",
        "Rådgiver",
    ],
    "/satsingsomrader/": ["Kompetanse", "Kompetanse for arbeidslivet.", "Helårsturisme"],
    AREA: [
        "Kompetanse",
        "Kompetanse for arbeidslivet.",
        "Flere fagarbeidere i regionen",
        "Flere fagbrev innen 2027.",
        "Lærlingløftet",
        "Fagbrev i regionen",
    ],
    "/oppdateringer/": ["Lærlingløftet", "Godt i gang med rekrutteringen.", "Kompetanse"],
    "/kommuner/": [],
    MUNICIPALITY: ["Lærlingløftet", "Rådgiver"],
    "/organisering/": [
        "Næringsteamet",
        "Næringsutviklerne i kommunene.",
        "Styringsgruppen",
        "Næringsutvikler",
        "Leder",
        "Rådgiver",
    ],
    "/data/": [],
    "/tilgjengelighet/": [],
}

# English interface text next to the content, which must not be marked Norwegian.
INTERFACE = {
    "/": ["Project goal", "Impact goal:", "Sub-goals", "Latest status updates"],
    "/tiltak/": ["Status", "Focus area"],
    MEASURE: [
        "About the measure",
        "Strategy",
        "Indicators",
        "History",
        "Focus area",
        "Partners",
        "Values for",
        "Chart: actual values against the target. The figures are in the table.",
        "Reported by Kari Nordmann",
        "Kari Nordmann,",  # the person responsible, before her title
        "Harstad",
    ],
    AREA: ["Status", "Goal:", "Indicators"],
    MUNICIPALITY: ["Harstad", "Kari Nordmann"],
    "/organisering/": ["Name", "Role", "Members of", "Kari Nordmann"],
}


@dataclass
class Text:
    text: str
    lang: str  # the language of the text: the nearest lang attribute, <html>'s at the top
    marked_by: str  # the element carrying that attribute


class _Languages(HTMLParser):
    """Each text node of a document, and each aria-label, with the language it is in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, str]] = []  # (tag, language, the tag that set it)
        self.texts: list[Text] = []
        self.marks: list[tuple[str, str]] = []  # (tag, lang) of every element with a lang

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        lang, marked_by = self.stack[-1][1:] if self.stack else ("", "")
        if attributes.get("lang"):
            lang, marked_by = attributes["lang"] or "", tag
            self.marks.append((tag, lang))
        if attributes.get("aria-label"):
            self.texts.append(Text(attributes["aria-label"] or "", lang, marked_by))
        if tag not in VOID:
            self.stack.append((tag, lang, marked_by))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        # The page's <title> cannot mark parts; the document title is SC 2.4.2's concern.
        if text and self.stack and "head" not in (tag for tag, *_ in self.stack):
            self.texts.append(Text(text, *self.stack[-1][1:]))


def read(html: str) -> _Languages:
    parser = _Languages()
    parser.feed(html)
    parser.close()
    return parser


def languages_of(html: str, text: str) -> set[str]:
    """The languages each occurrence of `text` (a whole text node or aria-label) is in."""
    return {t.lang for t in read(html).texts if t.text == text}


@pytest.fixture
def extra_content(portal: Portal) -> Portal:
    """The portal with the optional texts filled in, so that every kind of user text shows."""
    portal.programme.effect_goal = "Flere arbeidsplasser i regionen."
    portal.programme.save()
    SubGoal.objects.filter(programme=portal.programme).update(assessment="Godt i rute.")
    portal.goal.description = "Flere fagbrev innen 2027."
    portal.goal.save()
    indicator = Indicator.objects.get(name="Nye lærlingplasser")
    indicator.description = "Lærlingplasser som er lyst ut."
    indicator.save()
    IndicatorValue.objects.filter(indicator=indicator).update(note="Første opptak")
    Body.objects.filter(slug="naeringsteamet").update(description="Næringsutviklerne i kommunene.")
    return portal


def get(client: Client, url: str, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


# --- The English pages ----------------------------------------------------------------------


@pytest.mark.parametrize("url", HTML_PAGES)
def test_user_text_on_english_pages_is_marked_norwegian(client, extra_content, url):
    html = get(client, f"/en{url}")
    texts = read(html).texts

    for expected in SHOWN[url]:
        assert any(t.text == expected for t in texts), expected
    unmarked = [t for t in texts if t.text in CONTENT and t.lang != "nb"]
    assert unmarked == []


@pytest.mark.parametrize("url", INTERFACE)
def test_english_interface_is_not_marked_norwegian(client, extra_content, url):
    html = get(client, f"/en{url}")

    for label in INTERFACE[url]:
        assert languages_of(html, label) == {"en"}, label


def test_the_element_holding_the_text_is_marked(client, extra_content):
    """The lang sits on the element that holds the text, not on a wrapper around English too."""
    texts = read(get(client, f"/en{MEASURE}")).texts

    def marked_by(text: str) -> set[str]:
        return {t.marked_by for t in texts if t.text == text}

    assert marked_by("Lærlingløftet") == {"h1", "span"}  # the heading, the breadcrumb
    assert marked_by("Flere lærlinger i små bedrifter.") == {"p"}
    assert marked_by("Vi vil ha") == {"div"}  # the rendered Markdown
    assert marked_by("Godt i gang med rekrutteringen.") == {"p"}
    assert marked_by("Kompetanse") == {"a"}
    assert marked_by("Nye lærlingplasser") == {"strong", "span"}  # caption and table caption


def test_sami_names_keep_their_language(client, portal):
    for url in ("/en/", "/en/kommuner/", f"/en{MUNICIPALITY}"):
        html = get(client, url)

        assert languages_of(html, "Harstad") == {"en"}
        assert languages_of(html, "Hárstták") | languages_of(html, "(Hárstták)") == {"se"}


@pytest.mark.parametrize("path", ["/tiltak/", "/oppdateringer/"])
def test_htmx_fragment_marks_user_text(client, portal, path):
    html = get(client, f"/en{path}", headers={"HX-Request": "true"})

    assert "<html" not in html
    assert languages_of(html, "Lærlingløftet") == {"nb"}


def test_focus_area_filter_options_are_marked(client, portal):
    html = get(client, "/en/tiltak/")

    assert languages_of(html, "Reiseliv") == {"nb"}
    assert languages_of(html, "All focus areas") == {"en"}


def test_cached_pages_keep_each_language(client, portal, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    for _round in range(2):  # the second round is served from the page cache
        assert languages_of(get(client, f"/en{MEASURE}"), "Lærlingløftet") == {"nb"}
        assert ("h1", "nb") not in read(get(client, MEASURE)).marks


# --- The Norwegian pages --------------------------------------------------------------------


@pytest.mark.parametrize("url", HTML_PAGES)
def test_norwegian_pages_mark_nothing_but_other_languages(client, extra_content, url):
    marks = read(get(client, url)).marks

    assert marks[0] == ("html", "nb")
    # The language switch (English, Northern Sámi), Sámi names.
    assert set(marks[1:]) <= {("a", "en"), ("a", "se"), ("span", "se")}


# --- Feeds ----------------------------------------------------------------------------------


def comment_paragraphs(client: Client, url: str) -> list[str]:
    summaries = [
        entry.findtext(f"{ATOM}summary") or "" for entry in entries(parse(client.get(url)))
    ]
    assert summaries
    return [p for s in summaries for p in s.split("</p>") if "Godt i gang" in p]


@pytest.mark.parametrize("url", FEEDS)
def test_english_feed_marks_the_comment_norwegian(client, portal, url):
    (comment,) = comment_paragraphs(client, f"/en{url}")

    assert comment == '<p lang="nb">Godt i gang med rekrutteringen.'


@pytest.mark.parametrize("url", FEEDS)
def test_norwegian_feed_is_unchanged(client, portal, url):
    (comment,) = comment_paragraphs(client, url)

    assert comment == "<p>Godt i gang med rekrutteringen."
