from django.urls import path

from workspace import milestones, views

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

urlpatterns += [
    path("min-side/tiltak/<slug:slug>/milepaeler/", milestones.milestones, name="milestones"),
    path(
        "min-side/tiltak/<slug:slug>/milepaeler/<int:pk>/",
        milestones.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "min-side/tiltak/<slug:slug>/milepaeler/<int:pk>/nadd/",
        milestones.milestone_done,
        name="milestone_done",
    ),
    path(
        "min-side/tiltak/<slug:slug>/milepaeler/<int:pk>/flytt/",
        milestones.milestone_reorder,
        name="milestone_move",
    ),
    path(
        "min-side/tiltak/<slug:slug>/milepaeler/<int:pk>/slett/",
        milestones.milestone_remove,
        name="milestone_delete",
    ),
    path("min-side/tiltak/<slug:slug>/beslutning/", milestones.decision, name="decision"),
]
