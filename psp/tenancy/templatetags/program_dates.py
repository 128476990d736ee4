"""`{{ value|day }}`: a date written in the program's date style (psp/dates.py), the one way
every page writes dates. A built-in of the template engine (psp/settings.py), so templates need
no `{% load %}`.

    {{ visit.visit_date|day }}              3 Dec 2026 · Dec 3, 2026 · 2026-12-03
    {{ plan.created_at|day:"long" }}        3 December 2026
    {{ visit.visit_date|day:"weekday" }}    Thu 3 Dec 2026 ("long_weekday": Thursday 3 ...)
    {{ event.at|day:"day_month" }}          3 Dec
    {{ record.changed_at|day:"time" }}      3 Dec 2026, 14:05

Datetimes are written in the current time zone, as Django's `date` filter writes them. For a
machine-readable date (a <time datetime>), keep `|date:"c"` or `|date:"Y-m-d"`."""

from django import template

from psp.dates import write_date

register = template.Library()


@register.filter(expects_localtime=True)
def day(value, form: str = "date") -> str:
    return write_date(value, form)
