"""The API documentation page: the reference (psp/api/reference.py) in the app's own layout.

It answers everyone, signed in or not (it shows no data). A signed-in person sees the header of
their program, so the way back to the app is where it always is: the program they used last
(remembered in the session by the program pages), else their only program.
"""

from django.views.generic import TemplateView

from psp.api.reference import api_reference
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope

# Where the program pages may remember the last program used (its slug); read defensively, the
# page works the same without it.
LAST_PROGRAM_KEYS = ("last_program", "last_program_slug")


def remembered_program(request):
    """The program whose header the page shows, or None (signed out, or several programs and
    none remembered)."""
    user = request.user
    if not user.is_authenticated:
        return None
    # Crosses programs on purpose, as the site header's program switcher does.
    programs = [
        membership.program
        for membership in ProgramMembership.all_programs.filter(
            user=user, is_active=True, program__is_active=True
        ).select_related("program")
    ]
    remembered = {str(request.session.get(key, "")) for key in LAST_PROGRAM_KEYS}
    for program in programs:
        if program.slug in remembered or str(program.pk) in remembered:
            return program
    return programs[0] if len(programs) == 1 else None


class ApiDocsView(TemplateView):
    template_name = "api/docs.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(reference=api_reference(), **kwargs)
        program = remembered_program(request)
        if program is None:
            return self.render_to_response(context)
        # The program's navigation reads the person's practices and assignments, which only
        # its scope may read: render now, inside it.
        with program_scope(program):
            context.update(
                current_program=program, access=access_for(program=program, user=request.user)
            )
            return self.render_to_response(context).render()
