"""The program's background tasks that need attention, under /p/<program>/tasks/."""

from django.urls import path

from psp.outbox import views

app_name = "tasks"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("<int:pk>/retry/", views.TaskRetryView.as_view(), name="retry"),
]
