from django.urls import path

from drivkraft.core.caching import public_page
from measures import feeds, views
from measures.open_data import DATASETS, MEASURES

app_name = "measures"

urlpatterns = [
    path("", views.home, name="home"),
    path("tiltak/", views.measure_list, name="measure_list"),
    path("tiltak/<slug:slug>/", views.measure_detail, name="measure_detail"),
    path("tiltak/<slug:slug>/feed/", public_page(feeds.MeasureFeed()), name="measure_feed"),
    path("satsingsomrader/", views.focus_area_list, name="focus_area_list"),
    path("satsingsomrader/<slug:slug>/", views.focus_area_detail, name="focus_area_detail"),
    path(
        "satsingsomrader/<slug:slug>/feed/",
        public_page(feeds.FocusAreaFeed()),
        name="focus_area_feed",
    ),
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/<slug:slug>/", views.municipality_detail, name="municipality_detail"),
    path(
        "kommuner/<slug:slug>/feed/",
        public_page(feeds.MunicipalityFeed()),
        name="municipality_feed",
    ),
    path("oppdateringer/", views.update_list, name="update_list"),
    path("feed/", public_page(feeds.LatestUpdatesFeed()), name="feed"),
    path("data/", views.data_page, name="data"),
    path("data/tiltak.csv", views.data_csv, name="data_csv"),
    path("data/tiltak.json", views.data_json, name="data_json"),
    path("data/datapackage.json", views.data_package, name="data_package"),
    path("data/katalog.ttl", views.catalogue_turtle, name="data_catalogue_ttl"),
    path("data/katalog.jsonld", views.catalogue_json_ld, name="data_catalogue_jsonld"),
    # Every other dataset of measures.open_data: data/<name>.csv and data/<name>.json; and the JSON
    # Schema of each JSON file, data/<name>.schema.json.
    *[
        route
        for dataset in DATASETS
        if dataset is not MEASURES
        for route in (
            path(
                f"data/{dataset.csv_file}",
                views.dataset_csv,
                {"name": dataset.name},
                name=f"data_{dataset.name}_csv",
            ),
            path(
                f"data/{dataset.json_file}",
                views.dataset_json,
                {"name": dataset.name},
                name=f"data_{dataset.name}_json",
            ),
        )
    ],
    *[
        path(
            f"data/{dataset.json_schema_file}",
            views.dataset_schema,
            {"name": dataset.name},
            name=f"data_{dataset.name}_schema",
        )
        for dataset in DATASETS
    ],
    path("innebygd/kommuner/<slug:slug>/", views.embed_municipality, name="embed_municipality"),
    path("innebygd/tiltak/<slug:slug>/", views.embed_measure, name="embed_measure"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
]
