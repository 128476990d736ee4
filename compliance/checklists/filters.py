"""The filter of the template list, shared by its page and its API (psp/filters.py)."""

from compliance.checklists.models import ChecklistTemplate, Recurrence
from psp.filters import ChoiceFilter, ProgramFilterSet, YesNoFilter
from psp.tenancy.models import Sector


class TemplateFilter(ProgramFilterSet):
    sector = ChoiceFilter(
        choices=Sector.choices,
        label="Sector",
        empty_label="All sectors",
        description="Templates for this sector (templates for every sector have none).",
    )
    recurrence = ChoiceFilter(choices=Recurrence.choices, label="How often", empty_label="Any")
    is_active = YesNoFilter(label="Active")

    class Meta:
        model = ChecklistTemplate
        fields = ["sector", "recurrence", "is_active"]
