"""Template tags for action follow-up and participant feedback on other pages: the practice
page's actions panel and the home page's feedback prompt."""

from django import template

from coaching.actions import selectors
from coaching.feedback import selectors as feedback_selectors
from psp.tenancy.permissions import Capability

register = template.Library()


@register.inclusion_tag("coaching/actions/_practice_panel.html", takes_context=True)
def practice_actions_panel(context, practice):
    """`{% load coaching_followup %}{% practice_actions_panel practice %}`: open and overdue
    actions and the next five due. Nothing for someone who may not see the practice's plans.
    Two queries."""
    access = context.get("access")
    panel = (
        selectors.practice_actions_panel(access=access, practice=practice)
        if access is not None
        else {"visible": False}
    )
    return {
        "panel": panel,
        "current_program": context.get("current_program"),
        "request": context.get("request"),
    }


@register.inclusion_tag("coaching/feedback/_prompt.html", takes_context=True)
def home_feedback_prompt(context):
    """`{% load coaching_followup %}{% home_feedback_prompt %}`: the signed-in person's open
    feedback invitations for visits of the last 30 days. One query."""
    request = context.get("request")
    access = context.get("access")
    user = getattr(request, "user", None)
    invites = []
    if access is not None and user is not None and user.is_authenticated:
        invites = feedback_selectors.prompt_invites(user=user)
    return {
        "invites": invites,
        "current_program": context.get("current_program"),
    }


@register.inclusion_tag("coaching/actions/_my_panel.html", takes_context=True)
def my_actions_panel(context, limit: int = 5):
    """`{% load coaching_followup %}{% my_actions_panel %}`: the signed-in person's open
    actions (from plans and visits), soonest due first, for their home page. One query."""
    access = context.get("access")
    request = context.get("request")
    user = getattr(request, "user", None)
    actions = []
    if access is not None and user is not None and access.can(Capability.PLAN_VIEW):
        actions = list(selectors.actions_for_person(access=access, user=user)[: limit + 1])
        for action in actions:
            action.overdue = selectors.is_overdue(action)
    return {
        "actions": actions[:limit],
        "more": len(actions) > limit,
        "current_program": context.get("current_program"),
    }
