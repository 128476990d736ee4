"""Serializer fields every app's API shares: dates in range, times of day, and the id of one
of this program's objects."""

import re
from collections.abc import Callable

from django.apps import apps
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from psp.dates import DATE_PATTERN, EARLIEST_DATE, LATEST_DATE, check_date_in_range

RANGE_TEXT = f"From {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}."


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class BoundedDateField(serializers.DateField):
    """A date people send, from 2000 to 2099 (psp/dates.py); the schema states the range, in
    the pattern and in the field's description."""

    def __init__(self, **kwargs):
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = f"{help_text} {RANGE_TEXT}".strip()
        super().__init__(**kwargs)
        self.validators.append(check_date_in_range)


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


class ProgramObjectField(serializers.PrimaryKeyRelatedField):
    """The id of one of this program's objects, looked up only among those in the caller's
    reach: `reach(access=...)` is the selector that gives them (a coach's caseload, the plans
    the caller may see, the program's coaches). An id that is missing, of another program or
    out of reach is the same field error, "No <noun> with id 5 in this program.", so input
    never tells one from the other and never attaches another program's row (DESIGN.md 4).

    `model` (the class, or "app_label.Model") gives the schema the id's type; requests never
    read it. `error_messages={"does_not_exist": ...}` words the error otherwise."""

    def __init__(
        self,
        *,
        model: type[Model] | str,
        noun: str,
        reach: Callable[..., QuerySet],
        **kwargs,
    ):
        model = apps.get_model(model) if isinstance(model, str) else model
        kwargs.setdefault("queryset", model.objects.none())  # an empty queryset needs no scope
        kwargs["error_messages"] = {
            "does_not_exist": f"No {noun} with id {{pk_value}} in this program.",
            **kwargs.get("error_messages", {}),
        }
        self.reach = reach
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.reach(access=self.context["access"])
