"""The reminder of an invitation not yet accepted, a few days after it was sent (the rule that
finds them is psp/accounts/reminders.py; the notifications app calls `invitation_remind`).

The link in the first email cannot be repeated: only its token's hash is stored (see
invitations.py). So the reminder issues a fresh link in the same step as its email, as a send
does, and the first email's link stops working. The invitation's expiry is kept: a reminder is
not a resend, and says when the invitation lapses.
"""

import logging

from django.db import transaction
from django.utils import timezone

from psp.accounts.models import Invitation

from .invitations import _invitation_email, _new_invitation_token

logger = logging.getLogger(__name__)


def invitation_remind(*, program, invitation_id: int) -> bool:
    """Email the invitee a reminder with a fresh link, once per invitation. Returns whether an
    email went out: not for an invitation already reminded, not sent yet (a resend is on its
    way), accepted, revoked or expired. Safe to run twice, and concurrently: the row is locked,
    and `reminded_at` is set in the same transaction as the email."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("program", "practice", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.reminded_at is not None:
            return False
        if invitation.sent_at is None or invitation.status != "pending":
            return False
        token = _new_invitation_token()
        invitation.token_hash = Invitation.hash_token(token)
        invitation.reminded_at = timezone.now()
        invitation.save(update_fields=["token_hash", "reminded_at"])
        # Sent last, inside the transaction: if the mail server refuses, the new hash and
        # reminded_at roll back with it and the next attempt starts clean.
        _invitation_email(invitation=invitation, token=token, reminder=True).send()
    logger.info("Invitation %s: reminder sent to %s", invitation_id, invitation.email)
    return True
