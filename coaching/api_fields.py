"""What the coaching API's modules share: the base of the related fields whose ids are looked up
inside the program (and the caller's reach) only, so a foreign id is a field error and never a
leak (each sub-domain's API declares its own: plans, goals, people, practices); the time-of-day
field; and the plan-editing check."""

import re

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from psp.tenancy.permissions import Capability

VIEW, EDIT, UPDATE = Capability.PLAN_VIEW, Capability.PLAN_EDIT, Capability.ACTION_UPDATE


# Related fields: ids looked up inside the program (and the caller's reach) only -------------


class InProgramField(serializers.PrimaryKeyRelatedField):
    model = None
    noun = "record"

    def __init__(self, **kwargs):
        # For schema introspection only; requests look up through scoped() below.
        kwargs.setdefault("queryset", self.model.objects.none())
        super().__init__(**kwargs)
        self.error_messages["does_not_exist"] = (
            f"No {self.noun} with id {{pk_value}} in this program."
        )

    def get_queryset(self):
        return self.scoped(self.context["access"])

    def scoped(self, access):
        raise NotImplementedError


# A time of day ("13:30" or "13:30:00"), as the schema states it to clients.
CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": CLOCK_TIME_PATTERN, "example": "13:30:00"})
class ClockTimeField(serializers.TimeField):
    """A time on the wall clock: taken as "13:30" or "13:30:00", answered as "13:30:00".

    Not OpenAPI's `format: time`, which is RFC 3339's time with an offset ("13:30:00Z"): a
    visit's start has no zone, and what the API sent broke its own schema. Input is held to the
    same pattern the schema gives (no "1330", no offsets quietly dropped)."""

    default_error_messages = {"invalid": "Give the time as hh:mm or hh:mm:ss, e.g. 13:30."}

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M:%S", input_formats=["%H:%M:%S", "%H:%M"], **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(CLOCK_TIME_PATTERN, value):
            self.fail("invalid")
        return super().to_internal_value(value)


def ensure_can_edit(request, practice_id) -> None:
    if not request.access.can(EDIT, practice_id):
        raise PermissionDenied("Your role does not allow this for this practice.")
