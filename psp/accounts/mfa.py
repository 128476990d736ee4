"""The one two-factor (MFA) policy, asked by every way into the platform.

Who must use two-factor authentication: program admins, in the program where they are admin;
platform operators (staff and superusers), in the Django admin, which reaches every program.
"Using it" means having a TOTP authenticator now: once one is set up, allauth asks for its code
at every sign-in. The rule is checked on every request, not only at sign-in, so removing the
authenticator (or being made admin without one) shuts the person out at once, whatever session
or API token they hold; their tokens work again when they set an authenticator up.

The ways in that ask `mfa_policy_met`: program pages (`psp.tenancy.middleware`), the API for
session and token callers alike (`ProgramMemberPermission` in `psp.api.viewsets`), making an
API token (`api_token_create`), and the Django admin (`psp.accounts.admin_site`).
"""

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.urls import reverse

# The access asked about in the Django admin: the platform itself, not one program.
PLATFORM = None


def mfa_setup_message(*, access, with_link: bool = False) -> str:
    """What a person outside the policy is told. Pages send them to the set-up page with it;
    the API and services name that page (`with_link`)."""
    who, what = ("Platform operators", "the admin site")
    if access is not PLATFORM:
        who, what = ("Program admins", "the program")
    message = f"{who} must turn on two-factor authentication before using {what}."
    if with_link:
        link = reverse("mfa_activate_totp")
        message += f" Set up an authenticator app at {link}, then try again."
    return message


class MfaRequired(PermissionDenied):
    """Raised by services when the person must set up two-factor authentication first."""

    def __init__(self, *, access):
        super().__init__(mfa_setup_message(access=access, with_link=True))


def mfa_required(*, user, access) -> bool:
    """Does the policy ask this person for two-factor authentication here?

    `access` is their ProgramAccess in the program they are using, or PLATFORM for the
    Django admin."""
    if access is PLATFORM:
        return user.is_staff or user.is_superuser
    return access.is_admin


def has_totp(user) -> bool:
    # Recovery codes alone do not count: they are a fallback for a lost authenticator.
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_policy_met(*, user, access) -> bool:
    """Does this person, with this access, satisfy the MFA policy now?"""
    return not mfa_required(user=user, access=access) or has_totp(user)
