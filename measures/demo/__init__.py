"""The demo programme (Drivkraft in Hålogalandsrådet, 2018–2021) as data, and its loader.

The programme, its goals, the municipalities, the partners and the measure titles are the real
ones (see the project's domain notes). Everything about people is made up and marked as such
(«(demo)», «fiktiv demoperson», e-mail on example.no, no phone numbers); the status histories and
the indicator figures are plausible illustrations, not records.

`load_demo()` is idempotent: rows are found by natural keys (slugs, names) and only written when
they differ from the data in `data`; a measure's status history is only created while it has none.
`load_synthetic_measures()` adds numbered synthetic measures for benchmarks with bulk inserts.

Modules, each importing only those before it: `specs` (the dataclasses and the small constructors
`d`, `u`, `figures`), `data` (the programme as data), `synthetic` (the synthetic measures) and
`loader` (`load_demo` and the sync functions).
"""

from __future__ import annotations

from measures.demo.data import (
    BODIES,
    FOCUS_AREAS,
    INDICATORS,
    MEASURES,
    MUNICIPALITIES,
    ORGANISATIONS,
    PEOPLE,
    PROGRAMME,
    PROGRAMME_SLUG,
)
from measures.demo.loader import DemoSummary, load_demo
from measures.demo.synthetic import SYNTHETIC_SLUG_PREFIX, load_synthetic_measures, synthetic_slug

__all__ = [
    "BODIES",
    "FOCUS_AREAS",
    "INDICATORS",
    "MEASURES",
    "MUNICIPALITIES",
    "ORGANISATIONS",
    "PEOPLE",
    "PROGRAMME",
    "PROGRAMME_SLUG",
    "SYNTHETIC_SLUG_PREFIX",
    "DemoSummary",
    "load_demo",
    "load_synthetic_measures",
    "synthetic_slug",
]
