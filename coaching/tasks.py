"""Background work of the coaching app: e-mailing participant feedback invitations."""

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task
def send_feedback_invite(*, program_id: int, invite_id: int) -> bool:
    """E-mail one feedback invitation's link (ids only in the broker). Running it twice sends
    once: see services_feedback.feedback_invite_send, which is keyed on `emailed_at`. A failure
    re-raises, so the task retries with backoff."""
    from coaching import services_feedback

    program = Program.objects.get(pk=program_id)
    return services_feedback.feedback_invite_send(program=program, invite_id=invite_id)
