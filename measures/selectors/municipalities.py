"""A municipality's measures, told apart: its own, those shared with some, the whole region's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from measures.models import Measure
from measures.selectors.plan import Distribution, with_list_relations
from teams.models import Municipality


@dataclass
class MunicipalityMeasures:
    """A municipality's public measures in three parts, each the most recently updated first:
    those it runs alone, those it shares with some of the other municipalities, and those of the
    whole region (every municipality takes part)."""

    own: list[Measure]
    shared: list[Measure]
    region: list[Measure]

    @property
    def distribution(self) -> Distribution:
        return Distribution.from_measures(self.own + self.shared + self.region)


def municipality_measure_groups(*, municipality: Municipality) -> MunicipalityMeasures:
    """The measures of `municipality` alone, shared with some, and of the whole region, in a
    constant number of queries."""
    measures = with_list_relations(
        Measure.objects.public().filter(
            id__in=Measure.municipalities.through.objects.filter(municipality=municipality).values(
                "measure_id"
            )
        )
    ).order_by(F("last_status_update_at").desc(nulls_last=True), "title")
    every = Municipality.objects.count()
    groups = MunicipalityMeasures(own=[], shared=[], region=[])
    for measure in measures:
        taking_part = len(measure.municipalities.all())
        if taking_part == 1:
            groups.own.append(measure)
        elif taking_part >= every:
            groups.region.append(measure)
        else:
            groups.shared.append(measure)
    return groups
