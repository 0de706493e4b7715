from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns = [
    path("logg-inn/", views.login, name="login"),
    path("logg-ut/", views.logout, name="logout"),
    path("min-side/", views.home, name="home"),
    path("min-side/paminnelser/", views.reminders, name="reminders"),
    path("min-side/tiltak/<slug:slug>/status/", views.status_update, name="status"),
    path("min-side/tiltak/<slug:slug>/beskrivelse/", views.description, name="description"),
    path("min-side/tiltak/<slug:slug>/indikatorer/", views.indicators, name="indicators"),
]
