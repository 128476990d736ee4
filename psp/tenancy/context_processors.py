"""Template context for the shared layout: the program in scope and the person's programs."""

from psp.tenancy.models import ProgramMembership


def program_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Crosses programs on purpose: the switcher lists every program the person belongs to.
    memberships = (
        ProgramMembership.all_programs.filter(user=user, is_active=True, program__is_active=True)
        .select_related("program")
        .order_by("program__name")
    )
    return {
        "current_program": getattr(request, "program", None),
        "access": getattr(request, "access", None),
        "my_programs": [m.program for m in memberships],
    }
