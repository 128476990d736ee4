"""API tokens: made only for someone who meets the MFA policy now, shown once, revocable."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from psp.accounts.mfa import MfaRequired, mfa_policy_met
from psp.accounts.models import ApiToken
from psp.tenancy.access import access_for

security_logger = logging.getLogger("psp.security")


def api_token_create(*, program, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` in `program`. Returns the row and the key; the key is not stored
    (only its hash) and must be shown to the person once, now.

    Only someone who satisfies the MFA policy at this moment may hold one (MfaRequired): an
    admin without an authenticator cannot mint a credential that skips the second factor."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the tool that will use it."})
    access = access_for(program=program, user=user)
    if access is None:
        raise PermissionDenied("Only members of the program can hold tokens for it.")
    if not mfa_policy_met(user=user, access=access):
        raise MfaRequired(access=access)
    key, lookup, key_hash = ApiToken.new_key()
    token = ApiToken(program=program, user=user, name=name, lookup=lookup, key_hash=key_hash)
    token.full_clean(exclude=["program", "user"])
    token.save()
    security_logger.info(
        "API token %s (%r) made for user %s in program %s", token.pk, name, user.pk, program.pk
    )
    return token, key


def api_token_revoke(*, program, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_logger.info("API token %s revoked in program %s", token.pk, program.pk)
    return token
