"""KPI definitions, targets, values and dashboards."""

from django.apps import AppConfig


class KpisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kpis"
    label = "kpis"
    verbose_name = "KPIs"
