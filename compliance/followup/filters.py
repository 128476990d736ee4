"""The follow-up lists' filters: the program overview (its counts, status matrix and CSV), the due
list, GET …/checklist-status/ and GET …/checklists-due/ share ChecklistFollowUpFilter
(psp/filters.py holds the rules)."""

from compliance.checklists.models import ChecklistTemplate
from compliance.followup.states import FollowUp, state_filter
from compliance.instances.models import ChecklistInstance
from practices.filters import (
    coach_choice,
    practice_choice,
    practice_name_search,
    reaches_several_practices,
)
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability

VIEW = Capability.COMPLIANCE_VIEW


class ChecklistFollowUpFilter(ProgramFilterSet):
    template = IdFilter(
        noun="checklist template",
        label="Checklist",
        reach=lambda access: ChecklistTemplate.objects.order_by("name", "pk"),
        label_from=lambda template: template.name,
        empty_label="All checklists",
        description="The checklists made from this template.",
    )
    sector = ChoiceFilter(
        field_name="practice__sector",
        choices=Sector.choices,
        label="Sector",
        empty_label="All sectors",
        shown_if=reaches_several_practices(VIEW),
    )
    coach = coach_choice(
        "practice__coach_assignments__coach",
        description="The checklists of the practices this coach is assigned to.",
    )
    status = ChoiceFilter(
        method="filter_status",
        choices=FollowUp.choices,
        label="Status",
        empty_label="Any status",
        description="Where the checklist stands today (the program's date): overdue (not signed "
        "off by its due date), due_soon (due within 14 days, not signed off), awaiting_signoff, "
        "signed_on_time, signed_late, not_due.",
    )
    practice = practice_choice(VIEW)
    practice_name = practice_name_search()

    class Meta:
        model = ChecklistInstance
        fields = ["template", "sector", "coach", "status", "practice", "practice_name"]

    def filter_status(self, queryset, name, value):
        today = self.access.program.local_today()
        return queryset.filter(state_filter(value, today))
