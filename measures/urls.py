from django.urls import path

from drivkraft.core.caching import public_page
from measures import feeds, views

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
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
]
