"""`{% load kpi_names %}{{ goal.kpi_key|kpi_name }}`: a KPI's name instead of its key."""

from django import template

from kpis.catalog import kpi_name as _kpi_name

register = template.Library()


@register.filter
def kpi_name(key) -> str:
    return _kpi_name(str(key or ""))
