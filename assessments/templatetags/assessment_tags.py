"""Template helpers for assessments: the practice page's assessment panel and number display.

Wire the panel into any page about a practice with:

    {% load assessment_tags %}
    {% assessment_panel practice %}

It needs `access` and `current_program` in the context (every program page has them) and costs
one query; it renders nothing for someone who may not see the practice's assessments.
"""

from decimal import Decimal

from django import template

from assessments.rounds import selectors
from psp.tenancy.permissions import Capability

register = template.Library()


@register.inclusion_tag("assessments/_practice_panel.html", takes_context=True)
def assessment_panel(context, practice):
    access = context.get("access")
    if access is None or not access.can(Capability.ASSESSMENT_VIEW, practice.pk):
        return {"show": False}
    return {
        "show": True,
        "practice": practice,
        "current_program": context.get("current_program"),
        "summary": selectors.practice_assessment_summary(practice=practice),
        "can_open": access.can(Capability.ASSESSMENT_OPEN, practice.pk),
        "can_answer": access.can(Capability.ASSESSMENT_ANSWER, practice.pk),
    }


@register.filter
def signed(value) -> str:
    """A change in percentage points with its sign: +12.5, −3.0, ±0.0."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"−{abs(number)}"
    return f"±{abs(number)}"


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: for dicts keyed by id (e.g. follow-ups due by practice)."""
    if not mapping:
        return None
    return mapping.get(key)
