"""Generated documents: request, render in the background, store, download."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Each app's documents.py registers the documents it offers (registry.py).
        autodiscover_modules("documents")
