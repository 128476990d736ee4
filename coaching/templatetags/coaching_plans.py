"""Template tags for showing support plans on other apps' pages."""

from django import template

from coaching.plans import selectors

register = template.Library()


@register.inclusion_tag("coaching/_practice_panel.html", takes_context=True)
def practice_plan_panel(context, practice):
    """The practice page's plan panel:
    `{% load coaching_plans %}{% practice_plan_panel practice %}`.

    Shows nothing to someone who may not see the practice's plans. Three queries."""
    access = context.get("access")
    panel = (
        selectors.practice_plan_panel(access=access, practice=practice)
        if access is not None
        else {"visible": False}
    )
    return {
        "panel": panel,
        "current_program": context.get("current_program"),
        "request": context.get("request"),
    }
