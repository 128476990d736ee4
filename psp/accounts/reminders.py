"""The reminder of an invitation not accepted after a few days, to the invitee, once
(psp/notifications/registry.py has the contract; the notifications app finds it by the
autodiscover of each app's `reminders` module).

The invitee has no account yet, so the kind is email-only, and its email is this app's own: it
must carry a fresh invitation link, which only psp/accounts can issue (the stored token is a
hash). The kind's `send` hook therefore hands the notification to
services.invitation_remind. It finds the invitation from the notification's key,
"invitation_unaccepted:<invitation id>": the key already names the subject, once per invitation,
so the contract needs no extra field, and nothing about the invitation rides in the URL or the
body, which are for people to read.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from django.urls import reverse

from psp.accounts.models import Invitation
from psp.accounts.services import invitation_remind, invitation_role_label
from psp.dates import write_date
from psp.notifications.registry import Delivery, Due, Kind, register_rule
from psp.tenancy.scope import program_scope

REMIND_AFTER_DAYS = 3
KEY_PREFIX = "invitation_unaccepted:"


def invitation_id_of(key: str) -> int:
    """The invitation a notification of this kind is about, from its key."""
    if not key.startswith(KEY_PREFIX):
        raise ValueError(f"Not an invitation reminder's key: {key!r}")
    return int(key.removeprefix(KEY_PREFIX))


def send_invitation_reminder(program, notification) -> None:
    """The kind's email: a reminder with a fresh link (services.invitation_remind, which sends
    once per invitation and nothing for one accepted, revoked or expired meanwhile)."""
    with program_scope(program):
        invitation_remind(program=program, invitation_id=invitation_id_of(notification.key))


INVITATION_UNACCEPTED = Kind(
    code="invitation_unaccepted",
    label="An invitation not yet accepted",
    description="The person invited gets one reminder, with a fresh link, when the invitation "
    "is still not accepted three days after it was sent.",
    default=Delivery.IMMEDIATE,
    email_only=True,
    send=send_invitation_reminder,
)


@register_rule(INVITATION_UNACCEPTED, description="Invitations pending three days after sending.")
def invitations_unaccepted(program, *, today: date, now) -> Iterator[Due]:
    """Invitations sent at least three days ago and still pending (not accepted, revoked or
    expired), not reminded yet. One query."""
    invitations = (
        Invitation.objects.filter(
            sent_at__lte=now - timedelta(days=REMIND_AFTER_DAYS),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            reminded_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("practice")
        .order_by("sent_at", "pk")
    )
    url = reverse("people:list", kwargs={"program": program.slug})
    for invitation in invitations:
        sent = write_date(
            invitation.sent_at.astimezone(program.zone), "long", style=program.date_style
        )
        yield Due(
            kind=INVITATION_UNACCEPTED.code,
            key=f"{KEY_PREFIX}{invitation.pk}",
            title=f"Reminder: your invitation to {program.name}",
            url=url,
            email=invitation.email,
            body=f"You were invited on {sent} to join {program.name} as "
            f"{invitation_role_label(invitation)}.",
            practice_id=invitation.practice_id,
        )
