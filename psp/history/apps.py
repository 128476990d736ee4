"""Change history: who changed what, and when, in plans, assessment rounds, visits and actions."""

from django.apps import AppConfig


class HistoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.history"
    label = "history"
    verbose_name = "Change history"
