"""Notification pages under /p/<program>/notifications/: the centre (`list`), following one
(`open`, which marks it read), marking one or all read, and the person's settings.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model` (a notification)."""

from django.urls import path

from psp.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("settings/", views.NotificationSettingsView.as_view(), name="settings"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("<int:pk>/open/", views.NotificationOpenView.as_view(), name="open"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
]
