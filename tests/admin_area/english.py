"""Django's English interface phrases, read from its own catalogues, to catch any that a Norwegian
admin page shows untranslated: the server-rendered pages (test_norwegian.py) and the pages as a
browser shows them, JavaScript included (tests/browser/test_admin_norwegian.py).

A phrase is every msgid (and plural) of Django's admin, auth and core catalogues and of
django-simple-history, less those whose Norwegian translation is the same word («OK», «PDF») and
the language names. A text on a page is English when it is one of them, its placeholders filled
with anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import simple_history

DJANGO = Path(django.__file__).parent
CATALOGUES = [
    # (the English catalogue with every msgid, the Norwegian one it is translated in)
    (DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po", "nb"),
    (DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po", "nb"),
    (DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po", "nb"),
    (DJANGO / "conf/locale/en/LC_MESSAGES/django.po", "nb"),
    # django-simple-history has no English catalogue: its Norwegian one lists the msgids.
    (Path(simple_history.__file__).parent / "locale/nb/LC_MESSAGES/django.po", "nb"),
]

# What the issue saw, by name: these must never show, whatever the catalogues say.
KNOWN = [
    "Start typing to filter…",
    "- Select an option -",
    "Run",
    "Show counts",
    "Hide counts",
    "entries",
    "None",
]

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdir]|%[sdi]|\{\w*\}")
_COUNT = re.compile(r"^[\d\s.,]+|[\d\s.,]+$")


def _unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape")


def _entries(path: Path) -> Iterable[tuple[str, list[str], list[str]]]:
    """(references, msgid and msgid_plural, msgstr forms) of each entry of a .po file."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        refs = " ".join(re.findall(r"^#: (.*)$", block, re.M))
        ids = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if ids is None:
            continue
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', block, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        msgids = [_unquote(ids.group(1))] + ([_unquote(plural.group(1))] if plural else [])
        yield refs, [m for m in msgids if m], [_unquote(s) for s in strs]


def _norwegian(english: Path, language: str) -> dict[str, set[str]]:
    norwegian = Path(str(english).replace("/en/", f"/{language}/"))
    if not norwegian.exists():
        return {}
    return {ids[0]: set(strs) for _refs, ids, strs in _entries(norwegian) if ids}


@cache
def phrases() -> tuple[re.Pattern[str], ...]:
    found: set[str] = set(KNOWN)
    for path, language in CATALOGUES:
        same = _norwegian(path, language)
        for refs, ids, _strs in _entries(path):
            if not ids or "global_settings.py" in refs:  # the names of languages
                continue
            if ids[0] in same.get(ids[0], set()):  # translated as the same word
                continue
            found.update(ids)
    patterns = []
    for phrase in sorted(found):
        text = " ".join(phrase.split())
        # Two letters or fewer («S», «M» of the calendar) say too little to be told apart.
        if len(_PLACEHOLDER.sub("", text).strip(" .,:;-–…()")) < 3:
            continue
        pieces = [re.escape(piece) for piece in _PLACEHOLDER.split(text)]
        patterns.append(re.compile(".+?".join(pieces)))
    return tuple(patterns)


def english(texts: Iterable[str]) -> list[str]:
    """The texts that are one of Django's English phrases."""
    known = phrases()
    found = []
    for raw in texts:
        text = " ".join(raw.split())
        # «10 entries»: a count and its English noun in one text.
        bare = _COUNT.sub("", text)
        if text and any(pattern.fullmatch(t) for t in {text, bare} for pattern in known):
            found.append(text)
    return sorted(set(found))


# What a user reads or hears besides the text: labels of controls, tooltips, placeholders.
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-placeholder")


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        values = dict(attrs)
        self.texts.extend(v for k, v in attrs if k in READ_ATTRIBUTES and v)
        if tag in {"input", "button"} and values.get("type") in {"submit", "button", "reset"}:
            self.texts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.texts.append(data)


def page_texts(html: str) -> list[str]:
    """Every text node and read attribute of a page, as the server sent it."""
    parser = _Texts()
    parser.feed(html)
    parser.close()
    return parser.texts


# The same in the browser, on the page as it is now (JavaScript's additions included): text nodes
# of rendered elements (screen-reader-only text counts), options of rendered selects, and the
# attributes above.
BROWSER_TEXTS_JS = """
(attributes) => {
  const texts = [];
  const shown = (el) => el && el.checkVisibility({ checkVisibilityCSS: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, template")) continue;
    const owner = parent.closest("option") ? parent.closest("select") : parent;
    if (shown(owner) && node.textContent.trim()) texts.push(node.textContent);
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el)) continue;
    for (const name of attributes) {
      const value = el.getAttribute(name);
      if (value) texts.push(value);
    }
    if (el.matches("input[type=submit], input[type=button], input[type=reset]") && el.value) {
      texts.push(el.value);
    }
  }
  return texts;
}
"""
