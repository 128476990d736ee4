"""API tokens: made only for a role that integrates other systems (the matrix's
`api_tokens.own`) and someone who meets the MFA policy now; shown once; revocable.

A token made before its owner's role lost `api_tokens.own` keeps working until it is revoked
(by an operator in the Django admin, or when the person leaves the program): authentication
checks the token, and the API checks each request against the owner's role as usual."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from psp.accounts.mfa import MfaRequired, mfa_policy_met
from psp.accounts.models import ApiToken
from psp.tenancy.access import ProgramAccess, access_for
from psp.tenancy.permissions import MATRIX, ROLE_LABELS, Capability

security_logger = logging.getLogger("psp.security")

TOKENS = Capability.API_TOKENS_OWN


def _plural(noun: str) -> str:
    return f"{noun}es" if noun.endswith(("ch", "sh", "s", "x")) else f"{noun}s"


def _holders() -> str:
    """The roles that hold tokens, as people read them: "admins, managers and coaches"."""
    names = [_plural(ROLE_LABELS[role].lower()) for role in MATRIX[TOKENS]]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def api_token_create(*, program, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` in `program`. Returns the row and the key; the key is not stored
    (only its hash) and must be shown to the person once, now.

    PermissionDenied unless the person's role holds `api_tokens.own`; MfaRequired unless they
    satisfy the MFA policy at this moment: an admin without an authenticator cannot mint a
    credential that skips the second factor."""
    access = access_for(program=program, user=user)
    if access is None:
        raise PermissionDenied("Only members of the program can hold tokens for it.")
    if not access.can(TOKENS):
        raise PermissionDenied(
            f"API tokens are for the program's {_holders()}, who connect other systems to it; "
            f"a {access.role_label.lower()} does not hold one."
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the tool that will use it."})
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


def api_token_revoke(*, program, access: ProgramAccess, token: ApiToken) -> ApiToken:
    """Revoke one of the person's own tokens (`access` is theirs); revoking twice is harmless."""
    if not access.can(TOKENS) or token.user_id != access.user.pk:
        raise PermissionDenied("Only the token's owner can revoke it here.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_logger.info("API token %s revoked in program %s", token.pk, program.pk)
    return token
