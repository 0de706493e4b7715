from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("paminnelser/pause/<str:token>/", views.pause, name="pause"),
]
