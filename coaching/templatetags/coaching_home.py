"""The practice people's home: `{% load coaching_home %}{% practice_next_steps %}` renders what
the signed-in lead or staff member has to do next (coaching/next_steps.py). A tag rather than the
home view's context because the home lives in the practices app, which sits below coaching and
assessments and does not read them."""

from django import template

from coaching import next_steps

register = template.Library()


@register.inclusion_tag("home/_next_steps.html", takes_context=True)
def practice_next_steps(context):
    """Four queries, whatever the number of rounds, invitations, actions and goals."""
    access = context.get("access")
    request = context.get("request")
    program = context.get("current_program")
    user = getattr(request, "user", None)
    found = None
    if access is not None and program is not None and user is not None:
        found = next_steps.next_steps_for(access=access, user=user, program_slug=program.slug)
    return {
        "next": found,
        "current_program": program,
        "request": request,
        "my_practices": context.get("my_practices") or (),
    }
