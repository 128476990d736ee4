"""Writes for people: invitations, program roles and API tokens. Views, forms, the API,
commands and tasks call these (as `services.invitation_create`, …); none of them holds the
rules. One module per kind of write; this package names them all."""

from .invitation_reminders import invitation_remind
from .invitations import (
    invitation_accept,
    invitation_accept_as_new_person,
    invitation_accept_url,
    invitation_by_token,
    invitation_create,
    invitation_may_change,
    invitation_may_invite,
    invitation_resend,
    invitation_revoke,
    invitation_role_label,
    invitation_send,
)
from .memberships import (
    PROGRAM_ROLES,
    membership_change_role,
    membership_deactivate,
    membership_reactivate,
)
from .tokens import api_token_create, api_token_revoke

__all__ = [
    "PROGRAM_ROLES",
    "api_token_create",
    "api_token_revoke",
    "invitation_accept",
    "invitation_accept_as_new_person",
    "invitation_accept_url",
    "invitation_by_token",
    "invitation_create",
    "invitation_may_change",
    "invitation_may_invite",
    "invitation_remind",
    "invitation_resend",
    "invitation_revoke",
    "invitation_role_label",
    "invitation_send",
    "membership_change_role",
    "membership_deactivate",
    "membership_reactivate",
]
