"""Invitations: create, send, resend, revoke and accept. Views, forms, the API, commands and
tasks call these; none of them holds the rules.

How an invitation link is made, and why the raw token never sits anywhere but the email:
only the token's hash is stored, so the link cannot be rebuilt from the database. Passing the
raw token to the Celery task is not an option either: task arguments sit in the broker (Redis)
and in worker logs, where anyone reading them could accept the invitation. So the link is
issued by the send itself: `invitation_send` (run by the task) draws a fresh token, stores its
hash, and puts the token in the email in the same step. Creating an invitation stores the hash
of a throwaway token nobody ever sees; every (re)send replaces it, so the link in the newest
email is the only one that works, and its validity counts from that send.
"""

import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from psp.accounts.models import Invitation, PracticeRole
from psp.accounts.tasks import send_invitation
from psp.outbox.services import outbox_enqueue
from psp.tenancy.access import ProgramAccess
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability

from .memberships import PROGRAM_ROLES

logger = logging.getLogger(__name__)
security_logger = logging.getLogger("psp.security")


def _practice_model():
    # Read through the app registry so the core does not import the practices app.
    return apps.get_model("practices", "Practice")


def _practice_membership_model():
    return apps.get_model("practices", "PracticeMembership")


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_lifetime() -> timedelta:
    return timedelta(days=settings.PSP_INVITATION_DAYS)


# Invitations --------------------------------------------------------------------------------


def invitation_may_invite(
    *, access: ProgramAccess, role: str, practice_id: int | None = None
) -> bool:
    """May this person invite someone into `role` (and, for practice people, that practice)?"""
    if role == ProgramRole.PRACTICE:
        return practice_id is not None and access.can(Capability.PRACTICE_INVITE_STAFF, practice_id)
    return role in PROGRAM_ROLES and access.can(Capability.PEOPLE_MANAGE)


def invitation_may_change(*, access: ProgramAccess, invitation: Invitation) -> bool:
    """May this person resend or revoke the invitation? People managers any; whoever may invite
    into a practice (its lead) those into that practice."""
    if access.can(Capability.PEOPLE_MANAGE):
        return True
    return invitation.practice_id is not None and access.can(
        Capability.PRACTICE_INVITE_STAFF, invitation.practice_id
    )


def invitation_create(
    *,
    program,
    access: ProgramAccess,
    email: str,
    role: str,
    practice=None,
    practice_role: str = "",
    message: str = "",
) -> Invitation:
    """Invite `email` into a program role, or into a practice as lead or staff; queue the email.

    `access` is the inviter's: admins invite anyone; a practice lead invites into their own
    practice. Raises PermissionDenied for a role the inviter may not give, ValidationError for
    anything else wrong with the request (nothing is saved then)."""
    email = get_user_model().objects.normalize_email(email or "").strip().lower()
    if role not in ProgramRole.values:
        raise ValidationError({"role": "Choose a role."})
    if role == ProgramRole.PRACTICE:
        if practice is None:
            raise ValidationError({"practice": "Choose the practice to invite this person into."})
        if practice_role not in PracticeRole.values:
            raise ValidationError({"practice_role": "Choose lead or staff."})
        # A practice from another program is a validation error, not a cross-program write.
        if not _practice_model().objects.filter(pk=practice.pk).exists():
            raise ValidationError({"practice": "Choose a practice of this program."})
    else:
        practice, practice_role = None, ""
    if not invitation_may_invite(
        access=access, role=role, practice_id=practice.pk if practice else None
    ):
        raise PermissionDenied("Your role does not allow this invitation.")
    _check_not_already_in(email=email, role=role, practice=practice)

    invitation = Invitation(
        program=program,
        email=email,
        role=role,
        practice=practice,
        practice_role=practice_role,
        message=message.strip(),
        invited_by=access.user,
        # A throwaway: the real link is issued when the email is sent (see the module docstring).
        token_hash=Invitation.hash_token(_new_invitation_token()),
        expires_at=timezone.now() + _invitation_lifetime(),
    )
    invitation.full_clean(exclude=["program", "practice", "invited_by", "token_hash"])
    with transaction.atomic():
        invitation.save()
        outbox_enqueue(
            send_invitation, program=program, requested_by=access.user, invitation_id=invitation.pk
        )
    return invitation


def _check_not_already_in(*, email: str, role: str, practice) -> None:
    membership = (
        ProgramMembership.objects.filter(user__email__iexact=email, is_active=True)
        .select_related("user")
        .first()
    )
    if membership is not None:
        if role != ProgramRole.PRACTICE:
            raise ValidationError(
                {
                    "email": f"{email} is already a member of this program (as "
                    f"{membership.get_role_display().lower()}). Change their role instead."
                }
            )
        if membership.role != ProgramRole.PRACTICE:
            raise ValidationError(
                {
                    "email": f"{email} already works in this program as "
                    f"{membership.get_role_display().lower()}, not as practice staff."
                }
            )
        in_practice = _practice_membership_model().objects.filter(
            practice=practice, user=membership.user, is_active=True
        )
        if in_practice.exists():
            raise ValidationError({"email": f"{email} already belongs to {practice}."})
    pending = Invitation.objects.filter(
        email__iexact=email,
        role=role,
        practice=practice,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError(
            {"email": f"{email} already has a pending invitation for this; resend it instead."}
        )


def invitation_send(*, program, invitation_id: int) -> bool:
    """Issue a fresh link for the invitation and email it. Safe to run twice: an invitation
    already sent (since its last resend) is left alone. Returns whether an email went out.

    A failure is written to `send_error` (shown on the people page) and re-raised, so the task
    retries with backoff."""
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("program", "practice", "invited_by")
                .filter(pk=invitation_id)
                .first()
            )
            if invitation is None or invitation.sent_at is not None:
                return False
            if invitation.accepted_at is not None or invitation.revoked_at is not None:
                return False
            token = _new_invitation_token()
            now = timezone.now()
            invitation.token_hash = Invitation.hash_token(token)
            invitation.expires_at = now + _invitation_lifetime()
            invitation.sent_at = now
            invitation.send_error = ""
            invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "send_error"])
            # Sent last, inside the transaction: if the mail server refuses, the new hash and
            # sent_at roll back with it and the next attempt starts clean.
            _invitation_email(invitation=invitation, token=token).send()
    except Exception as exc:
        Invitation.objects.filter(pk=invitation_id).update(
            send_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    logger.info("Invitation %s sent to %s", invitation_id, invitation.email)
    return True


def invitation_accept_url(token: str) -> str:
    path = reverse("invitations:accept", kwargs={"token": token})
    return settings.PSP_SITE_URL.rstrip("/") + path


def _invitation_email(
    *, invitation: Invitation, token: str, reminder: bool = False
) -> EmailMultiAlternatives:
    context = {
        "reminder": reminder,  # the second email, a few days on (invitation_reminders.py)
        "invitation": invitation,
        "program": invitation.program,
        "role_label": invitation_role_label(invitation),
        "inviter": invitation.invited_by,
        "accept_url": invitation_accept_url(token),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context)
    text = render_to_string("accounts/email/invitation_message.txt", context)
    html = render_to_string("accounts/email/invitation_message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[invitation.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def invitation_role_label(invitation: Invitation) -> str:
    """How the invitation reads to a person: "Coach", or "Practice lead at Riverside"."""
    if invitation.role == ProgramRole.PRACTICE and invitation.practice_id:
        return f"{invitation.get_practice_role_display()} at {invitation.practice}"
    return invitation.get_role_display()


def invitation_resend(*, program, access: ProgramAccess, invitation: Invitation) -> Invitation:
    """Queue a new email with a new link; the old link stops working when it goes out.

    An expired invitation can be resent (that is the usual reason); an accepted or revoked one
    cannot. `access` is the sender's (invitation_may_change)."""
    if not invitation_may_change(access=access, invitation=invitation):
        raise PermissionDenied("Your role does not allow this invitation to be sent again.")
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.")
    if invitation.revoked_at is not None:
        raise ValidationError("This invitation was revoked; invite the person again.")
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_at=None, send_error="", expires_at=timezone.now() + _invitation_lifetime()
        )
        outbox_enqueue(
            send_invitation, program=program, requested_by=access.user, invitation_id=invitation.pk
        )
    invitation.refresh_from_db()
    return invitation


def invitation_revoke(*, program, access: ProgramAccess, invitation: Invitation) -> Invitation:
    """The link stops working at once. An accepted invitation cannot be revoked (deactivate
    the member instead); revoking twice is harmless. `access` is the revoker's."""
    if not invitation_may_change(access=access, invitation=invitation):
        raise PermissionDenied("Your role does not allow this invitation to be revoked.")
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted; deactivate the member.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link points to, in whatever program it belongs to.

    Crosses programs on purpose: the token itself identifies the program. Everything done with
    the invitation afterwards happens inside that program's scope."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.all_programs.select_related("program", "practice", "invited_by")
        .filter(token_hash=Invitation.hash_token(token), program__is_active=True)
        .first()
    )


def invitation_accept(*, program, invitation: Invitation, user) -> Invitation:
    """Give `user` the invited role (and practice place); mark the invitation accepted.

    All or nothing, and only once: the row is locked and its state re-checked first."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("practice")
            .get(pk=invitation.pk)
        )
        if locked.status != "pending":
            raise ValidationError(_UNAVAILABLE[locked.status])
        if user.email.lower() != locked.email.lower():
            raise ValidationError(
                f"This invitation is for {locked.email}; sign in with that address to accept it."
            )
        _grant(invitation=locked, user=user)
        _mark_email_verified(user)
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        get_user_model().objects.filter(pk=user.pk).update(last_program=program)
    return locked


def invitation_accept_as_new_person(
    *, program, invitation: Invitation, full_name: str, password: str
):
    """Create the invitee's account with the password they chose, and accept. Returns the user."""
    user_model = get_user_model()
    exists = ValidationError(
        "An account with this email address already exists; sign in to accept."
    )
    if user_model.objects.filter(email__iexact=invitation.email).exists():
        raise exists
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(
                invitation.email, password, full_name=full_name.strip()
            )
            invitation_accept(program=program, invitation=invitation, user=user)
    except IntegrityError as exc:
        # Two submissions of the same form at once: the second finds the account made.
        raise exists from exc
    return user


def _mark_email_verified(user) -> None:
    """Following the emailed link proves the address is theirs: tell allauth (which, for one,
    lets nobody with an unverified address turn on two-factor authentication)."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


_UNAVAILABLE = {
    "accepted": "This invitation has already been used.",
    "revoked": "This invitation was withdrawn.",
    "expired": "This invitation has expired.",
}


def _grant(*, invitation: Invitation, user) -> None:
    membership = ProgramMembership.objects.filter(user=user).first()
    if invitation.role != ProgramRole.PRACTICE:
        if membership is None:
            ProgramMembership.objects.create(user=user, role=invitation.role)
        elif not membership.is_active or membership.role == invitation.role:
            membership.role, membership.is_active = invitation.role, True
            membership.save(update_fields=["role", "is_active"])
        else:
            raise ValidationError(
                f"You already work in this program as {membership.get_role_display().lower()}; "
                "ask a program admin to change your role."
            )
        return
    if membership is None:
        ProgramMembership.objects.create(user=user, role=ProgramRole.PRACTICE)
    elif not membership.is_active:
        membership.role, membership.is_active = ProgramRole.PRACTICE, True
        membership.save(update_fields=["role", "is_active"])
    elif membership.role != ProgramRole.PRACTICE:
        raise ValidationError(
            f"You already work in this program as {membership.get_role_display().lower()}, "
            "not as practice staff; ask a program admin."
        )
    _practice_membership_model().objects.update_or_create(
        practice=invitation.practice,
        user=user,
        defaults={"role": invitation.practice_role, "is_active": True},
    )
