"""The filter of the PDSA cycles' list, GET …/pdsa-cycles/ (psp/filters.py holds the rules)."""

from django_filters import CharFilter

from coaching.pdsa.models import PdsaCycle, PdsaStage
from coaching.plans.models import PlanGoal
from practices.filters import practice_choice
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW


class PdsaCycleFilter(ProgramFilterSet):
    practice = practice_choice(VIEW)
    goal = IdFilter(
        noun="goal",
        label="Goal",
        description="The cycles of this plan goal.",
        reach=lambda access: PlanGoal.objects.filter(
            access.practice_filter(VIEW, "plan__practice_id")
        ),
    )
    stage = ChoiceFilter(choices=PdsaStage.choices, label="Stage")
    kpi = CharFilter(field_name="kpi_key", label="KPI", max_length=80)

    class Meta:
        model = PdsaCycle
        fields = ["practice", "goal", "stage", "kpi"]
