"""The filters of the plans' lists: the plans page and GET …/plans/ share PlanFilter; GET
…/plan-goals/ has its own (psp/filters.py holds the rules)."""

from django_filters import CharFilter

from assessments.models import Assessment
from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus, SupportPlan
from practices.filters import practice_choice, practice_name_search
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet, TextSearchFilter
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW


def plans_in_reach(access):
    return SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))


def plan_choice(field_name: str = "plan") -> IdFilter:
    """`?plan=4`: a plan of a practice whose plans the caller may see."""
    return IdFilter(field_name=field_name, noun="plan", label="Plan", reach=plans_in_reach)


class PlanFilter(ProgramFilterSet):
    practice = practice_choice(VIEW)
    practice_name = practice_name_search()
    status = ChoiceFilter(choices=PlanStatus.choices, label="Status", empty_label="Any status")
    assessment = IdFilter(
        noun="assessment",
        label="Assessment",
        description="The plans drafted from this assessment.",
        reach=lambda access: Assessment.objects.filter(access.practice_filter(VIEW, "practice_id")),
    )
    search = TextSearchFilter(
        fields=("title", "practice__name"),
        label="Search",
        description="Plans whose title or practice's name contain each word.",
    )

    class Meta:
        model = SupportPlan
        fields = ["practice", "practice_name", "status", "assessment", "search"]


class PlanGoalFilter(ProgramFilterSet):
    plan = plan_choice()
    domain_key = CharFilter(label="Domain key", max_length=100)
    status = ChoiceFilter(choices=GoalStatus.choices, label="Status")

    class Meta:
        model = PlanGoal
        fields = ["plan", "domain_key", "status"]
