"""The filter of the checklists' lists: GET …/checklists/ (and any checklist list page) takes
these (psp/filters.py holds the rules). Practices and templates are looked up among those the
caller may name."""

from compliance.checklists.models import ChecklistTemplate
from compliance.instances.models import ChecklistInstance, InstanceStatus
from practices.filters import practice_choice
from psp.filters import DateFilter, IdFilter, MultipleChoiceFilter, ProgramFilterSet
from psp.tenancy.permissions import Capability

VIEW = Capability.COMPLIANCE_VIEW


def templates_in_reach(access):
    """Every template of the program: whoever sees checklists may name any of them."""
    return ChecklistTemplate.objects.only("pk", "name").order_by("name", "pk")


class ChecklistFilter(ProgramFilterSet):
    practice = practice_choice(VIEW)
    status = MultipleChoiceFilter(choices=InstanceStatus.choices, label="Status")
    template = IdFilter(
        noun="checklist template",
        label="Checklist",
        reach=templates_in_reach,
        label_from=lambda template: template.name,
        empty_label="All checklists",
        description="The checklists made from this template.",
    )
    due_after = DateFilter(
        field_name="due_on",
        lookup_expr="gte",
        label="Due from",
        description="Checklists due on this day or later.",
    )
    due_before = DateFilter(
        field_name="due_on",
        lookup_expr="lte",
        label="Due until",
        description="Checklists due on this day or earlier.",
    )

    class Meta:
        model = ChecklistInstance
        fields = ["practice", "status", "template", "due_after", "due_before"]
