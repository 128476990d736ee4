"""Background work of notifications.

Beat runs `scan_all_programs` every 15 minutes (psp/settings.py); it fans out one `scan_program`
per active program, which records what the rules find and writes the emails to send, at once
and the day's digests once the program's digest hour has come, into the outbox. In the embedded
mode `manage.py send_reminders` does the same from cron. Each email task is idempotent: a
redelivered task finds its notification (or digest) sent and sends nothing.
"""

from datetime import date

from celery import shared_task

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task
def send_notification_email(*, program_id: int, notification_id: int) -> bool:
    from psp.notifications import services

    program = Program.objects.get(pk=program_id)
    return services.notification_email_send(program=program, notification_id=notification_id)


@program_task
def send_digest(*, program_id: int, user_id: int, day: str) -> bool:
    from psp.notifications import services

    program = Program.objects.get(pk=program_id)
    return services.digest_send(program=program, user_id=user_id, day=date.fromisoformat(day))


@program_task
def scan_program(*, program_id: int) -> dict:
    """One program's reminders: the scan, then the digests that are due."""
    from psp.notifications import services

    program = Program.objects.get(pk=program_id)
    found, digests = services.reminders_run(program=program)
    return {"notifications": found, "digests": digests}


@shared_task(name="psp.notifications.tasks.scan_all_programs")
def scan_all_programs() -> int:
    """Periodic (beat, every 15 minutes): one scan per active program, each in its own scope."""
    program_ids = list(Program.objects.filter(is_active=True).values_list("pk", flat=True))
    for program_id in program_ids:
        scan_program.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)
