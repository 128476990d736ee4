"""The filters of the scheme lists, each shared by its page and its API (psp/filters.py)."""

from cpd.schemes.models import CpdScheme
from psp.filters import ProgramFilterSet, YesNoFilter


class SchemeFilter(ProgramFilterSet):
    is_active = YesNoFilter(label="Active")

    class Meta:
        model = CpdScheme
        fields = ["is_active"]
