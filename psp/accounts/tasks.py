"""Background work for people: sending invitation emails. Saving an invitation writes its send
into the outbox (psp/outbox), so a broker outage delays the email and never loses it."""

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task
def send_invitation(*, program_id: int, invitation_id: int) -> bool:
    """Email the invitation with a freshly issued link (ids only in the broker: the link's
    token is made here, never passed in). Running it twice sends once; see
    services.invitation_send."""
    from psp.accounts import services

    program = Program.objects.get(pk=program_id)
    return services.invitation_send(program=program, invitation_id=invitation_id)
