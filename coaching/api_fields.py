"""What the plans and actions APIs share: the capabilities they name and the plan-editing
check. Fields any app's API may take are the core's (psp/api/fields.py)."""

from django.core.exceptions import PermissionDenied

from psp.tenancy.permissions import Capability

VIEW, EDIT, UPDATE = Capability.PLAN_VIEW, Capability.PLAN_EDIT, Capability.ACTION_UPDATE


def ensure_can_edit(request, practice_id) -> None:
    if not request.access.can(EDIT, practice_id):
        raise PermissionDenied("Your role does not allow this for this practice.")
