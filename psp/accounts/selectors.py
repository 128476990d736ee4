"""Reads for the people and API-token pages and endpoints, joined for what they show."""

from django.apps import apps
from django.db.models import Prefetch, QuerySet

from psp.accounts.models import ApiToken, Invitation
from psp.tenancy.models import ProgramMembership


def member_list(*, program, active: bool | None = None) -> QuerySet[ProgramMembership]:
    """The program's members with their account and, for practice people, their practices in
    this program (as `user.program_practice_memberships`): a fixed number of queries."""
    practice_membership = apps.get_model("practices", "PracticeMembership")
    queryset = (
        ProgramMembership.objects.select_related("user")
        .prefetch_related(
            Prefetch(
                "user__practice_memberships",
                # The scoped manager keeps other programs' practice places out.
                queryset=practice_membership.objects.filter(is_active=True)
                .select_related("practice")
                .order_by("practice__name"),
                to_attr="program_practice_memberships",
            )
        )
        .order_by("user__full_name", "user__email")
    )
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset


def invitation_list(*, program) -> QuerySet[Invitation]:
    return Invitation.objects.select_related("practice", "invited_by", "accepted_by").order_by(
        "-created_at"
    )


def practice_invitation_list(*, practice) -> QuerySet[Invitation]:
    """The invitations into one practice still waiting for an answer: pending, and expired
    ones (they can be sent again). Accepted ones are the practice's people; revoked ones are
    done."""
    return (
        Invitation.objects.filter(
            practice=practice, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("practice", "invited_by")
        .order_by("-created_at")
    )


def api_token_list(*, program, user) -> QuerySet[ApiToken]:
    """One person's tokens in this program, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
