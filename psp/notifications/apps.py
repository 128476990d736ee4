"""Reminders and notices: deduplication, email, in-app, preferences."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Each app's reminders.py registers its kinds and rules (registry.py).
        autodiscover_modules("reminders")
