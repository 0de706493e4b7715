"""Where later apps add to the public measure page and its feed, without `measures` knowing them.

Dependencies run one way (teams ← measures ← reports ← later apps), so the measure page cannot
import what an app above it shows there (the public input of `participation`, say). Instead that
app registers, in its `AppConfig.ready()`, a section of the page (a template and the context it
needs) and the entries it adds to the measure's Atom feed; the measure page and `MeasureFeed` call
whatever is registered. With nothing registered they are exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from measures.models import Measure


@dataclass(frozen=True)
class MeasureSection:
    """A section of the public measure page: `template`, rendered with the page's context plus
    `section` (what `context` gave). Rendered after the measure's own sections."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class FeedEntry:
    """An entry of a measure's Atom feed that is not a status update. `description` is HTML
    (its user text already escaped); `guid` a permanent id (`measures.feeds.tag_uri`)."""

    title: str
    description: str
    link: str
    guid: str
    published: dt.datetime
    updated: dt.datetime
    author_name: str | None = None


SectionProvider = Callable[[Measure], MeasureSection | None]
FeedEntriesProvider = Callable[[Measure], Iterable[FeedEntry]]

_sections: list[SectionProvider] = []
_feed_entries: list[FeedEntriesProvider] = []


def register_measure_section(provider: SectionProvider) -> None:
    """Add a section to every public measure page (once, however often `ready()` runs)."""
    if provider not in _sections:
        _sections.append(provider)


def register_measure_feed_entries(provider: FeedEntriesProvider) -> None:
    """Add entries to every measure's Atom feed (once, however often `ready()` runs)."""
    if provider not in _feed_entries:
        _feed_entries.append(provider)


def measure_sections(measure: Measure) -> list[MeasureSection]:
    return [s for provider in _sections if (s := provider(measure)) is not None]


def measure_feed_entries(measure: Measure) -> list[FeedEntry]:
    return [entry for provider in _feed_entries for entry in provider(measure)]
