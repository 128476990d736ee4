"""The outbox: one database table of tasks that must not be lost, and one relay to the broker."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.outbox"
    label = "outbox"
    verbose_name = "Background tasks"
