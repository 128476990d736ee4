"""Background work of caseloads: recomputing the stored caseload standings for a new day.

The task names stay `coaching.tasks.<name>`, as they were when the tasks lived in
coaching/tasks.py: the beat schedule names them, and messages already queued carry them."""

from celery import shared_task
from django.utils import timezone

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task(name="coaching.tasks.refresh_caseload_standings")
def refresh_caseload_standings(*, program_id: int) -> int:
    """Bring every standing of the program up to date for today (coaching/caseload/standings.py).
    Running it twice computes nothing the second time."""
    from coaching.caseload import standings
    from practices.models import Practice

    return standings.standings_catch_up(
        practices=Practice.objects.all(), today=timezone.localdate()
    )


@shared_task(name="coaching.tasks.refresh_all_caseload_standings")
def refresh_all_caseload_standings() -> int:
    """Periodic (beat, just after midnight): one refresh per program, each in its own scope."""
    program_ids = list(Program.objects.values_list("pk", flat=True))
    for program_id in program_ids:
        refresh_caseload_standings.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)
