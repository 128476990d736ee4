"""Background work of checklist scheduling.

Beat runs `schedule_all_checklists` every hour (psp/settings.py): one `schedule_checklists` per
active program, which makes the instances whose period or event has begun in the program's own
time zone. Hourly rather than daily so that each program's new month starts at its own
midnight; a run with nothing new to make reads a few rows and writes nothing but the
assignments' last-run date. After a practice is enrolled or moved to a stage, `triggers.py`
queues the same task for that practice alone. Safe to run twice: instances are unique per
period.
"""

from celery import shared_task

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task(name="compliance.tasks.schedule_checklists")
def schedule_checklists(*, program_id: int, practice_ids: list[int] | None = None) -> int:
    from compliance.schedules.services import schedule_instances

    program = Program.objects.get(pk=program_id)
    return schedule_instances(program=program, practice_ids=practice_ids)


@shared_task(name="compliance.tasks.schedule_all_checklists")
def schedule_all_checklists() -> int:
    """Periodic (beat, hourly): one scheduling task per active program, each in its scope."""
    program_ids = list(Program.objects.filter(is_active=True).values_list("pk", flat=True))
    for program_id in program_ids:
        schedule_checklists.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)
