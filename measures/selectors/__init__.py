"""Reads of the plan that join, annotate or aggregate (`from measures import selectors`).

`plan`: distributions, the lists and details of the public pages; `municipalities`: a
municipality's measures told apart; `attention`: «Trenger oppmerksomhet»; `open_data`: the reads
behind the open data; `work`: the work lists of Min side; `milestones`: a measure's milestones
and timeline.
"""

from measures.selectors.attention import (
    ATTENTION_SOURCES,
    Attention,
    AttentionItem,
    AttentionReason,
    needs_attention,
)
from measures.selectors.milestones import (
    MilestoneGroups,
    TimelineEntry,
    measure_timeline,
    milestone_groups,
)
from measures.selectors.municipalities import MunicipalityMeasures, municipality_measure_groups
from measures.selectors.open_data import (
    open_indicator_values,
    open_indicators,
    open_milestones,
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
    current_programme_start,
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
    pending_decisions,
    programme_attention,
    with_work_counts,
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
    "MilestoneGroups",
    "MunicipalityMeasures",
    "OwnMeasure",
    "Part",
    "StatusCount",
    "TimelineEntry",
    "current_programme",
    "current_programme_start",
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
    "measure_timeline",
    "milestone_groups",
    "municipality_list",
    "municipality_measure_groups",
    "my_measures",
    "needs_attention",
    "open_indicator_values",
    "open_indicators",
    "open_milestones",
    "open_status_updates",
    "pending_decisions",
    "programme_attention",
    "same_goal_measures",
    "status_distribution",
    "update_list",
    "with_list_relations",
    "with_work_counts",
]
