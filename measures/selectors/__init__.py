"""Reads of the plan that join, annotate or aggregate (`from measures import selectors`).

`plan`: distributions, the lists and details of the public pages; `municipalities`: a
municipality's measures told apart; `attention`: «Trenger oppmerksomhet»; `open_data`: the reads
behind the open data; `work`: the work lists of Min side.
"""

from measures.selectors.attention import (
    ATTENTION_SOURCES,
    Attention,
    AttentionItem,
    AttentionReason,
    needs_attention,
)
from measures.selectors.municipalities import MunicipalityMeasures, municipality_measure_groups
from measures.selectors.open_data import (
    open_indicator_values,
    open_indicators,
    open_status_updates,
)
from measures.selectors.plan import (
    SORT_ORDERINGS,
    STATUS_ORDER,
    Distribution,
    FocusAreaDetail,
    Part,
    StatusCount,
    current_programme,
    distribution_annotations,
    embed_measure,
    focus_area_detail,
    focus_area_list,
    latest_status_update_date,
    latest_updates,
    measure_detail,
    measure_list,
    municipality_list,
    same_goal_measures,
    status_distribution,
    update_list,
    with_list_relations,
)
from measures.selectors.work import (
    AreaAttention,
    OwnMeasure,
    inconsistent_measures,
    measure_attention,
    my_measures,
    programme_attention,
)

__all__ = [
    "ATTENTION_SOURCES",
    "AreaAttention",
    "SORT_ORDERINGS",
    "STATUS_ORDER",
    "Attention",
    "AttentionItem",
    "AttentionReason",
    "Distribution",
    "FocusAreaDetail",
    "MunicipalityMeasures",
    "OwnMeasure",
    "Part",
    "StatusCount",
    "current_programme",
    "distribution_annotations",
    "embed_measure",
    "focus_area_detail",
    "focus_area_list",
    "inconsistent_measures",
    "latest_status_update_date",
    "latest_updates",
    "measure_attention",
    "measure_detail",
    "measure_list",
    "municipality_list",
    "municipality_measure_groups",
    "my_measures",
    "needs_attention",
    "open_indicator_values",
    "open_indicators",
    "open_status_updates",
    "programme_attention",
    "same_goal_measures",
    "status_distribution",
    "update_list",
    "with_list_relations",
]
