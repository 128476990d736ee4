"""Background work of the coaching app: e-mailing participant feedback invitations,
re-queueing any whose e-mail was never queued, and recomputing the stored caseload standings
for a new day."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task

# How long an invitation may wait for its first send before the relay queues it again, and how
# old it may be: past that the prompt has gone from the person's home page too.
RELAY_AFTER = timedelta(minutes=2)
RELAY_WITHIN = timedelta(days=30)


@program_task
def send_feedback_invite(*, program_id: int, invite_id: int) -> bool:
    """E-mail one feedback invitation's link (ids only in the broker). Running it twice sends
    once: see services_feedback.feedback_invite_send, which is keyed on `emailed_at`. A failure
    re-raises, so the task retries with backoff."""
    from coaching import services_feedback

    program = Program.objects.get(pk=program_id)
    return services_feedback.feedback_invite_send(program=program, invite_id=invite_id)


@shared_task(name="coaching.tasks.relay_unsent_feedback_invites")
def relay_unsent_feedback_invites() -> int:
    """Periodic (beat): queue again every open feedback invitation of the last RELAY_WITHIN that
    was never e-mailed.

    Logging a visit queues the e-mails after commit; if the broker was down then, the visit and
    its invitations are saved but nothing is queued (the in-app prompt still shows them). This
    finds those across programs (on purpose: it is the fan-out) and queues one program-scoped
    send each. Sending is idempotent, so one merely waiting in a busy queue is not sent twice.
    """
    from coaching.models import FeedbackInvite

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


@program_task
def refresh_caseload_standings(*, program_id: int) -> int:
    """Bring every standing of the program up to date for today (coaching/standings.py).
    Running it twice computes nothing the second time."""
    from coaching import standings
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
