"""KPI definitions, targets, values and dashboards."""

from django.apps import AppConfig


class KpisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kpis"
    label = "kpis"
    verbose_name = "KPIs"

    def ready(self):
        # Each app's measures.py registers what computed KPIs can be made of (psp/measures).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("measures")

        from kpis.refresh import triggers
        from practices import derived

        # Every write to what computed KPIs are made of asks for a refresh (after its commit).
        derived.subscribe(triggers.request_refresh_after_write)
