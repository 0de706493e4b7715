"""A municipality's measures, told apart: its own, those shared with some, the whole region's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F

from measures.models import Measure
from measures.selectors.plan import Distribution, Part, with_list_relations
from teams.models import Municipality


@dataclass
class MunicipalityMeasures:
    """A municipality's public measures in three parts, each the most recently updated first:
    those it runs alone, those it shares with some of the other municipalities, and those of the
    whole region (every municipality takes part)."""

    own: Part
    shared: Part
    region: Part
    distribution: Distribution


def municipality_measure_groups(
    *, municipality: Municipality, limit: int | None = None
) -> MunicipalityMeasures:
    """The measures of `municipality` alone, shared with some, and of the whole region, each part
    with its first `limit` measures loaded (all with None) and its length, and the distribution
    of them all: four queries however many measures there are."""
    every = Municipality.objects.count()
    rows = (
        Measure.objects.public()
        .filter(
            id__in=Measure.municipalities.through.objects.filter(municipality=municipality).values(
                "measure_id"
            )
        )
        .annotate(taking_part=Count("municipalities"))
        .order_by(F("last_status_update_at").desc(nulls_last=True), "title")
        .values_list("pk", "taking_part", "status", "progress")
    )
    parts: dict[str, list[int]] = {"own": [], "shared": [], "region": []}
    pairs = []
    for pk, taking_part, status, progress in rows:
        pairs.append((status, progress))
        if taking_part == 1:
            parts["own"].append(pk)
        elif taking_part >= every:
            parts["region"].append(pk)
        else:
            parts["shared"].append(pk)
    shown = {name: ids[:limit] for name, ids in parts.items()}
    wanted = [pk for ids in shown.values() for pk in ids]
    loaded = (
        {m.pk: m for m in with_list_relations(Measure.objects.filter(pk__in=wanted))}
        if wanted
        else {}
    )

    def part(name: str) -> Part:
        return Part([loaded[pk] for pk in shown[name]], len(parts[name]))

    return MunicipalityMeasures(
        own=part("own"),
        shared=part("shared"),
        region=part("region"),
        distribution=Distribution.from_pairs(pairs),
    )
