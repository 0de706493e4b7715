"""The public views of the plan: the pages (`pages`), the open data (`open_data`) and the
small pages other sites may frame (`embeds`)."""

from measures.views.embeds import embed_measure, embed_municipality
from measures.views.open_data import (
    EXPORT_FIELDS,
    catalogue_json_ld,
    catalogue_turtle,
    data_csv,
    data_json,
    data_package,
    data_page,
    dataset_csv,
    dataset_json,
    dataset_schema,
    spreadsheet_safe,
)
from measures.views.pages import (
    accessibility,
    focus_area_detail,
    focus_area_list,
    home,
    measure_detail,
    measure_list,
    municipality_detail,
    municipality_list,
    update_list,
)

__all__ = [
    "EXPORT_FIELDS",
    "accessibility",
    "catalogue_json_ld",
    "catalogue_turtle",
    "data_csv",
    "data_json",
    "data_package",
    "data_page",
    "dataset_csv",
    "dataset_json",
    "dataset_schema",
    "embed_measure",
    "embed_municipality",
    "focus_area_detail",
    "focus_area_list",
    "home",
    "measure_detail",
    "measure_list",
    "municipality_detail",
    "municipality_list",
    "spreadsheet_safe",
    "update_list",
]
