"""Serializer fields every app's API shares."""

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
