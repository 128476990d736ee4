"""Background work of the dose summary: another try for practices whose summary could not be
recomputed after a write, and the nightly rebuild of every program (the safety net for writes
that go around the models: raw SQL, loaddata, data migrations)."""

from celery import shared_task

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task(name="coaching.tasks.refresh_practice_dose")
def refresh_practice_dose(*, program_id: int, practice_ids: list[int]) -> int:
    from coaching.dose.summary import dose_refresh
    from practices.models import Practice

    # Only this program's practices, whatever the message says.
    mine = Practice.objects.filter(pk__in=practice_ids).values_list("pk", flat=True)
    return dose_refresh(practice_ids=list(mine))


@program_task(name="coaching.tasks.rebuild_program_dose")
def rebuild_program_dose(*, program_id: int) -> int:
    from coaching.dose.summary import dose_rebuild

    return dose_rebuild(program=Program.objects.get(pk=program_id))


@shared_task(name="coaching.tasks.rebuild_all_dose")
def rebuild_all_dose() -> int:
    """Periodic (beat, nightly): one rebuild per program, each in its own scope."""
    program_ids = list(Program.objects.values_list("pk", flat=True))
    for program_id in program_ids:
        rebuild_program_dose.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)
