"""Pages outside any one program: the landing redirect, the program switcher, the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from psp.tenancy.models import ProgramMembership


@require_GET
@never_cache
def healthz(request):
    """Liveness for load balancers: the process answers and the database is reachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the API docs, the admin). The
    # static URL is looked up per request: the hashed name exists only after collectstatic.
    return redirect(static("img/favicon.svg"), permanent=True)


def _my_memberships(user):
    # Crosses programs on purpose: these are the programs this person may choose from.
    return (
        ProgramMembership.all_programs.filter(user=user, is_active=True, program__is_active=True)
        .select_related("program")
        .order_by("program__name")
    )


@login_required
def home(request):
    """Send the person to the program they used last, or let them choose one."""
    memberships = list(_my_memberships(request.user))
    programs = {m.program_id: m.program for m in memberships}
    if request.user.last_program_id in programs:
        return redirect(programs[request.user.last_program_id])
    if len(memberships) == 1:
        return redirect(memberships[0].program)
    return redirect("program_switcher")


@login_required
def program_switcher(request):
    memberships = list(_my_memberships(request.user))
    return render(request, "program_switcher.html", {"memberships": memberships})
