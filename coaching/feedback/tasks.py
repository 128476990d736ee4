"""Background work of participant feedback: e-mailing an invitation's link. Logging a visit
writes the sends into the outbox (psp/outbox), so a broker outage delays them, never loses them.

The task names stay `coaching.tasks.<name>`, as they were when the tasks lived in
coaching/tasks.py: the beat schedule names them, and messages already queued carry them."""

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
