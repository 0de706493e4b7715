from django.urls import path

from participation import views

app_name = "participation"

urlpatterns = [
    path("tiltak/<slug:slug>/innspill/", views.submit, name="submit"),
    path("tiltak/<slug:slug>/innspill/takk/", views.receipt, name="receipt"),
    path("personvern/", views.privacy, name="privacy"),
    path("min-side/innspill/", views.moderation_list, name="moderation"),
    path("min-side/innspill/<int:pk>/", views.moderate, name="moderate"),
]
