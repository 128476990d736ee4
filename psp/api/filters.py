"""Query-string filters shared by every app's API."""

from django import forms
from django_filters import rest_framework as filters

# The largest id a bigint primary key holds: a larger number is refused as input (a 400 naming
# the parameter) or answered as "not found", never sent to the database to overflow there.
MAX_ID = 2**63 - 1


class IdFilter(filters.Filter):
    """An object's id, e.g. `?practice=12`."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
