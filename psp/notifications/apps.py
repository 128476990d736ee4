"""Reminders and notices: deduplication, email, in-app, preferences."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.notifications"
    label = "notifications"
    verbose_name = "Notifications"
