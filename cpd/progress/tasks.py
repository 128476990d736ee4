"""Background work of CPD progress: the program's stored standings computed again for a new day
(cpd/progress/standings.py). Each program in its own task, in its own scope."""

from celery import shared_task
from django.utils import timezone

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task
def rebuild_cpd_standings(*, program_id: int) -> int:
    """Every standing of the program, computed for today; running it twice is harmless."""
    from cpd.progress.standings import standings_rebuild

    return standings_rebuild(program=Program.objects.get(pk=program_id), today=timezone.localdate())


@shared_task(name="cpd.progress.tasks.rebuild_all_cpd_standings")
def rebuild_all_cpd_standings() -> int:
    """Periodic (beat, after midnight): one rebuild per program."""
    program_ids = list(Program.objects.values_list("pk", flat=True))
    for program_id in program_ids:
        rebuild_cpd_standings.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)
