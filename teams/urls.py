from django.urls import path

from measures.caching import public_page
from measures.feeds import MunicipalityFeed
from teams import views

app_name = "teams"

urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/<slug:slug>/", views.municipality_detail, name="municipality_detail"),
    path("kommuner/<slug:slug>/feed/", public_page(MunicipalityFeed()), name="municipality_feed"),
    path("organisering/", views.organisation, name="organisation"),
]
