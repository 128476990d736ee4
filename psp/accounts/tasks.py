"""Background work for people: sending invitation emails, and re-queueing any whose email was
never queued (the broker was down when the invitation was saved)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task

# How long an unsent invitation may wait for its first send before the relay queues it again.
RELAY_AFTER = timedelta(minutes=2)


@program_task
def send_invitation(*, program_id: int, invitation_id: int) -> bool:
    """Email the invitation with a freshly issued link (ids only in the broker: the link's
    token is made here, never passed in). Running it twice sends once; see
    services.invitation_send."""
    from psp.accounts import services

    program = Program.objects.get(pk=program_id)
    return services.invitation_send(program=program, invitation_id=invitation_id)


@shared_task(name="psp.accounts.tasks.relay_unsent_invitations")
def relay_unsent_invitations() -> int:
    """Periodic (beat): queue again every live invitation that was never sent and never failed.

    Saving an invitation queues its email after commit; if the broker was down at that moment
    the invitation is saved but nothing is queued. This finds those across programs (on purpose:
    it is the fan-out) and queues one program-scoped send per invitation. Sending is idempotent,
    so an invitation whose email is merely waiting in a busy queue is not emailed twice.
    """
    from psp.accounts.models import Invitation

    now = timezone.now()
    stuck = Invitation.all_programs.filter(
        sent_at__isnull=True,
        send_error="",
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
        created_at__lt=now - RELAY_AFTER,
    ).values_list("program_id", "pk")
    queued = 0
    for program_id, invitation_id in stuck:
        send_invitation.apply_async(
            kwargs={"program_id": program_id, "invitation_id": invitation_id}
        )
        queued += 1
    return queued
