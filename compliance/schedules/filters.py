"""The filter of the assignment list, shared by its page and its API (psp/filters.py)."""

from compliance.checklists.models import ChecklistTemplate
from compliance.schedules.models import ChecklistAssignment
from psp.filters import IdFilter, ProgramFilterSet, YesNoFilter


class AssignmentFilter(ProgramFilterSet):
    template = IdFilter(
        noun="checklist template",
        label="Template",
        reach=lambda access: ChecklistTemplate.objects.order_by("name", "pk"),
        label_from=lambda template: template.name,
        empty_label="All templates",
    )
    is_active = YesNoFilter(label="Active")

    class Meta:
        model = ChecklistAssignment
        fields = ["template", "is_active"]
