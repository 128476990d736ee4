"""KPI names and links in templates:

- `{% load kpi_names %}{{ goal.kpi_key|kpi_name }}`: a KPI's name instead of its key;
- `{% kpi_link goal.kpi_key %}`: the name linked to the KPI's definition page when the program
  has a definition with that code (its name then), else the catalog's name. The program's
  definitions are read once per request however many goals a page shows, so plan pages (which
  belong to coaching, an app that never imports kpis) name KPIs at a fixed cost;
- `{{ value|kpi_amount:definition.unit }}`: a target or value as people read it (12.5 %, 3 days).
"""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html

from kpis.catalog import kpi_name as _kpi_name

register = template.Library()

_CACHE = "_kpi_definition_links"
_SUFFIX = {"percent": "%", "days": " days", "minutes": " min", "hours": " h"}


@register.filter
def kpi_name(key) -> str:
    return _kpi_name(str(key or ""))


def _links(request) -> dict[str, tuple[int, str]]:
    links = getattr(request, _CACHE, None)
    if links is None:
        from kpis.definitions.selectors import definition_links

        links = definition_links()
        setattr(request, _CACHE, links)
    return links


@register.simple_tag(takes_context=True)
def kpi_link(context, key) -> str:
    key = str(key or "").strip()
    request = context.get("request")
    program = getattr(request, "program", None)
    if not key or program is None:
        return _kpi_name(key)
    found = _links(request).get(key)
    if found is None:
        return _kpi_name(key)
    pk, name = found
    url = reverse("kpis:definition", kwargs={"program": program.slug, "pk": pk})
    return format_html('<a href="{}">{}</a>', url, name)


@register.filter
def kpi_amount(value, unit: str = "") -> str:
    """A decimal without trailing zeros, with its unit's mark; "" for no value."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return f"{text}{_SUFFIX.get(unit, '')}"
