"""Template tags for showing visits on other apps' pages: the practice page's panel and the
coach's upcoming visits on their home page."""

from django import template
from django.utils import timezone

from coaching.visits import selectors

register = template.Library()


@register.inclusion_tag("coaching/visits/_practice_panel.html", takes_context=True)
def practice_visits_panel(context, practice):
    """The practice page's visit panel:
    `{% load coaching_visits %}{% practice_visits_panel practice %}`.

    Shows nothing to someone who may not see the practice's visits. Three queries."""
    access = context.get("access")
    return {
        "panel": selectors.practice_visit_panel(access=access, practice=practice),
        "current_program": context.get("current_program"),
        "request": context.get("request"),
    }


@register.inclusion_tag("coaching/visits/_upcoming.html", takes_context=True)
def home_upcoming_visits(context):
    """The coach's planned visits of the next two weeks (and any overdue), with Complete and
    Cancel, and a "Log a visit" button: `{% load coaching_visits %}{% home_upcoming_visits %}`.
    One query."""
    access = context.get("access")
    request = context.get("request")
    visits = []
    if access is not None and access.is_coach:
        visits = selectors.upcoming_for_coach(access=access, coach=request.user)
    return {
        "visible": access is not None and access.is_coach,
        "visits": visits,
        "today": timezone.localdate(),
        "days": selectors.UPCOMING_DAYS,
        "current_program": context.get("current_program"),
        "request": request,
    }


@register.filter
def minutes(value) -> str:
    """90 -> "1 h 30 min", 45 -> "45 min", 120 -> "2 h"."""
    try:
        total = int(value)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
