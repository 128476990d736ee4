"""Program roles: who is admin, manager or coach, and who is no longer in the program."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from psp.accounts.models import ApiToken
from psp.tenancy.access import ProgramAccess
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability

# The program roles an admin can give directly; practice people join through a practice.
PROGRAM_ROLES = (ProgramRole.ADMIN, ProgramRole.MANAGER, ProgramRole.COACH)


def membership_change_role(
    *, program, access: ProgramAccess, membership: ProgramMembership, role: str
) -> ProgramMembership:
    """Make a member admin, manager or coach. Practice people keep their practice roles, which
    are changed on the practice; the last admin cannot step down."""
    if not access.can(Capability.PEOPLE_MANAGE):
        raise PermissionDenied("Your role does not allow this.")
    if role not in PROGRAM_ROLES:
        raise ValidationError({"role": "Choose admin, manager or coach."})
    if membership.role == ProgramRole.PRACTICE:
        raise ValidationError(
            {"role": "Practice leads and staff get their role from their practice."}
        )
    if membership.role == ProgramRole.ADMIN and role != ProgramRole.ADMIN:
        _check_not_last_admin(membership)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_deactivate(
    *, program, access: ProgramAccess, membership: ProgramMembership
) -> ProgramMembership:
    """Take a person out of the program: their pages answer 404 and their tokens here are
    revoked. Their account stays, since they may work in other programs."""
    if not access.can(Capability.PEOPLE_MANAGE):
        raise PermissionDenied("Your role does not allow this.")
    if membership.user_id == access.user.pk:
        raise ValidationError("You cannot deactivate yourself.")
    if membership.role == ProgramRole.ADMIN:
        _check_not_last_admin(membership)
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        ApiToken.objects.filter(user_id=membership.user_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return membership


def membership_reactivate(
    *, program, access: ProgramAccess, membership: ProgramMembership
) -> ProgramMembership:
    if not access.can(Capability.PEOPLE_MANAGE):
        raise PermissionDenied("Your role does not allow this.")
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


def _check_not_last_admin(membership: ProgramMembership) -> None:
    others = ProgramMembership.objects.filter(role=ProgramRole.ADMIN, is_active=True).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ValidationError("A program needs at least one active admin.")
