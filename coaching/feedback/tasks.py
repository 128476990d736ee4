"""Background work of participant feedback: e-mailing an invitation's link, and re-queueing any
whose e-mail was never queued.

The task names stay `coaching.tasks.<name>`, as they were when the tasks lived in
coaching/tasks.py: the beat schedule names them, and messages already queued carry them."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task

# How long an invitation may wait for its first send before the relay queues it again, and how
# old it may be: past that the prompt has gone from the person's home page too.
RELAY_AFTER = timedelta(minutes=2)
RELAY_WITHIN = timedelta(days=30)


@program_task(name="coaching.tasks.send_feedback_invite")
def send_feedback_invite(*, program_id: int, invite_id: int) -> bool:
    """E-mail one feedback invitation's link (ids only in the broker). Running it twice sends
    once: see services.feedback_invite_send, which is keyed on `emailed_at`. A failure
    re-raises, so the task retries with backoff."""
    from coaching.feedback import services

    program = Program.objects.get(pk=program_id)
    return services.feedback_invite_send(program=program, invite_id=invite_id)


@shared_task(name="coaching.tasks.relay_unsent_feedback_invites")
def relay_unsent_feedback_invites() -> int:
    """Periodic (beat): queue again every open feedback invitation of the last RELAY_WITHIN that
    was never e-mailed.

    Logging a visit queues the e-mails after commit; if the broker was down then, the visit and
    its invitations are saved but nothing is queued (the in-app prompt still shows them). This
    finds those across programs (on purpose: it is the fan-out) and queues one program-scoped
    send each. Sending is idempotent, so one merely waiting in a busy queue is not sent twice.
    """
    from coaching.feedback.models import FeedbackInvite

    now = timezone.now()
    stuck = FeedbackInvite.all_programs.filter(
        emailed_at__isnull=True,
        answered_at__isnull=True,
        declined_at__isnull=True,
        created_at__lt=now - RELAY_AFTER,
        created_at__gt=now - RELAY_WITHIN,
    ).values_list("program_id", "pk")
    queued = 0
    for program_id, invite_id in stuck:
        send_feedback_invite.apply_async(kwargs={"program_id": program_id, "invite_id": invite_id})
        queued += 1
    return queued
