"""Generated documents: request, render in the background, store, download."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.reports"
    label = "reports"
    verbose_name = "Reports"
