"""Background work of participant feedback: e-mailing an invitation's link, and the nightly
rebuild of the feedback summary (coaching/feedback/summary.py). Logging a visit
writes the sends into the outbox (psp/outbox), so a broker outage delays them, never loses them.

The task names stay `coaching.tasks.<name>`, as they were when the tasks lived in
coaching/tasks.py: the beat schedule names them, and messages already queued carry them."""

from celery import shared_task

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task(name="coaching.tasks.send_feedback_invite")
def send_feedback_invite(*, program_id: int, invite_id: int) -> bool:
    """E-mail one feedback invitation's link (ids only in the broker). Running it twice sends
    once: see services.feedback_invite_send, which is keyed on `emailed_at`. A failure
    re-raises, so the task retries with backoff."""
    from coaching.feedback import services

    program = Program.objects.get(pk=program_id)
    return services.feedback_invite_send(program=program, invite_id=invite_id)


@program_task(name="coaching.tasks.rebuild_program_feedback")
def rebuild_program_feedback(*, program_id: int) -> int:
    from coaching.feedback.summary import feedback_rebuild

    return feedback_rebuild(program=Program.objects.get(pk=program_id))


@shared_task(name="coaching.tasks.rebuild_all_feedback")
def rebuild_all_feedback() -> int:
    """Periodic (beat, nightly): the feedback summary's net, one rebuild per program, each in
    its own scope (for writes that went around the models: raw SQL, loaddata)."""
    program_ids = list(Program.objects.values_list("pk", flat=True))
    for program_id in program_ids:
        rebuild_program_feedback.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)
