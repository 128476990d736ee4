"""Change history: who changed what, and when, in support plans and assessments."""

from django.apps import AppConfig


class HistoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.history"
    label = "history"
    verbose_name = "Change history"
