"""Template tags for action follow-up and participant feedback on other pages: the practice
page's actions panel and the home page's feedback prompt."""

from django import template

from coaching import selectors, selectors_feedback

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
        invites = selectors_feedback.prompt_invites(user=user)
    return {
        "invites": invites,
        "current_program": context.get("current_program"),
    }
