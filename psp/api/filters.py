"""Query-string filters shared by every app's API."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from psp.dates import DATE_PATTERN, EARLIEST_DATE, LATEST_DATE
from psp.forms_fields import BoundedDateField
from psp.numbers import MAX_ID  # a larger id is a 400 naming the parameter, not an overflow


class IdFilter(filters.Filter):
    """An object's id, e.g. `?practice=12`."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        # The schema states the bounds enforced here (drf-spectacular alone would say "integer"),
        # so a client generated from it never sends an id the server refuses: 0, or past a bigint.
        bounds = {"minimum": self.extra["min_value"], "maximum": self.extra["max_value"]}
        schema = {"type": "integer", **bounds, "description": self.label or "An id."}
        extend_schema_field(schema)(self)


class BoundedDateFilter(filters.DateFilter):
    """A date, e.g. `?date_from=2025-01-31`, from 2000 to 2099 like every date people enter
    (psp/dates.py): another is a 400 naming the parameter. The schema states the range."""

    field_class = BoundedDateField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = f"{self.label or 'A date'}. From {EARLIEST_DATE} to {LATEST_DATE}."
        schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
        extend_schema_field({**schema, "description": description})(self)


def refuse_empty_query_parameters(query_params) -> None:
    """`?practice=` is a 400 naming `practice`, for every query parameter of the API.

    An empty filter read as "no filter" answers with everything, silently: a client that meant
    to narrow a list (or to pick the rows it then changes) gets every row instead. OpenAPI's
    default (`allowEmptyValue: false`) already says an empty value is not valid, and the schema
    gives string parameters `minLength: 1` (psp/api/schema.py); the API holds to it."""
    empty = sorted({name for name, values in query_params.lists() if "" in values})
    if empty:
        raise ValidationError(
            {name: ["Give a value, or leave the parameter out."] for name in empty}
        )
