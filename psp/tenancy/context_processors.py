"""Template context for the shared layout: the program in scope and the person's programs.

Pages outside any program's URL (password change, two-factor authentication, the API
documentation) keep the header and navigation of the program the person used last, so nobody
loses their way by opening their account settings. That program is `User.last_program`, which
the program middleware keeps up to date on every program page (and "/" already reads); it is
used only while the person still belongs to it.
"""

from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope

# Pages outside a program that do not take the last program's header: choosing a program, an
# invitation (it is about its own program, maybe another one) and the Django admin.
WITHOUT_REMEMBERED_PROGRAM = {"program_switcher"}
NAMESPACES_WITHOUT_REMEMBERED_PROGRAM = {"invitations", "admin"}


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
    programs = [m.program for m in memberships]
    program = getattr(request, "program", None)
    access = getattr(request, "access", None)
    if program is None and _outside_any_program(request):
        program, access = _remembered(user, programs)
    return {"current_program": program, "access": access, "my_programs": programs}


def _outside_any_program(request) -> bool:
    """A page whose URL names no program (not a program page that refused the person)."""
    match = getattr(request, "resolver_match", None)
    if match is None or "program" in match.kwargs:
        return False
    if match.url_name in WITHOUT_REMEMBERED_PROGRAM:
        return False
    return not NAMESPACES_WITHOUT_REMEMBERED_PROGRAM.intersection(match.namespaces)


def _remembered(user, programs):
    """The program the person used last (or their only one) and their access there."""
    program = next((p for p in programs if p.pk == user.last_program_id), None)
    if program is None and len(programs) == 1:
        program = programs[0]
    if program is None:
        return None, None
    with program_scope(program):
        access = access_for(program=program, user=user)
        if access is None:
            return None, None
        # Resolved inside the scope now: the templates ask `access` after this returns.
        access.practice_roles, access.assigned_practice_ids  # noqa: B018
    return program, access
