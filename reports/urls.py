from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.archive, name="archive"),
    path("rapporter/ny/", views.new, name="new"),
    path("rapporter/ny/forhandsvisning/", views.preview, name="preview"),
    path("rapporter/gjeldende.pdf", views.current_pdf, name="current"),
    path("rapporter/<int:pk>/", views.detail, name="detail"),
    path("rapporter/<int:pk>/prov-igjen/", views.retry, name="retry"),
    path("rapporter/<int:pk>/sammenlign/<int:other_pk>/", views.compare, name="compare"),
    path("rapporter/<int:pk>.pdf", views.download, name="download"),
]
