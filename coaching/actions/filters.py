"""The actions' filters: the actions lists (a practice's, "my actions") and GET …/plan-actions/
share PlanActionFilter (psp/filters.py holds the rules)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from coaching.actions import selectors
from coaching.actions.models import ActionStatus, PlanAction
from coaching.plans.filters import plan_choice
from coaching.plans.models import PlanGoal, PlanStatus
from coaching.visits.models import Visit
from practices.filters import practice_choice, practice_name_search
from psp.filters import (
    ChoiceFilter,
    IdFilter,
    MultipleChoiceFilter,
    ProgramFilterSet,
    TextSearchFilter,
    YesNoFilter,
)
from psp.forms_fields import person_label
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW
SOURCES = [("plan", "Support plans"), ("visit", "Visits")]


def owners_in_reach(access):
    """Who `?owner=` may name: the program's people, and anyone owning an action in reach (who
    may have left the program since)."""
    owning = PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id"))
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=selectors.program_people().values("pk"))
            | Q(pk__in=owning.filter(owner__isnull=False).values("owner_id"))
        )
        .order_by("full_name", "email")
    )


class PlanActionFilter(ProgramFilterSet):
    status = MultipleChoiceFilter(choices=ActionStatus.choices, label="Status")
    owner = IdFilter(
        noun="person",
        label="Owner",
        reach=owners_in_reach,
        description="The actions this person owns.",
        options=lambda access: selectors.action_owners(access=access),
        label_from=person_label,
        empty_label="Anyone",
    )
    source = ChoiceFilter(
        method="filter_source",
        choices=SOURCES,
        label="Source",
        empty_label="Plans and visits",
        description="Where the action came from: a plan's own, or agreed at a visit.",
    )
    overdue = YesNoFilter(
        method="filter_overdue",
        label="Overdue only",
        description="true: open or in progress, past the due date; false: the others.",
    )
    practice = practice_choice(VIEW)
    practice_name = practice_name_search()
    plan = plan_choice()
    goal = IdFilter(
        noun="goal",
        label="Goal",
        reach=lambda access: PlanGoal.objects.filter(
            access.practice_filter(VIEW, "plan__practice_id")
        ),
    )
    visit = IdFilter(
        noun="visit",
        label="Visit",
        description="The actions agreed at this visit.",
        reach=lambda access: Visit.objects.filter(access.practice_filter(VIEW, "practice_id")),
    )
    plan_status = ChoiceFilter(
        field_name="plan__status", choices=PlanStatus.choices, label="Status of the plan"
    )
    search = TextSearchFilter(
        fields=("title",), label="Search", description="Actions whose title contains each word."
    )

    class Meta:
        model = PlanAction
        fields = [
            "status",
            "owner",
            "source",
            "overdue",
            "practice",
            "practice_name",
            "plan",
            "goal",
            "visit",
            "plan_status",
            "search",
        ]

    @classmethod
    def page_query(cls, query):
        data = super().page_query(query)
        # The actions pages before issue 9: one status or "any", and a checkbox sending "on".
        if data.getlist("status") == ["any"]:
            data.setlist("status", ActionStatus.values)
        if data.get("overdue") == "on":
            data["overdue"] = "true"
        return data

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=selectors.OPEN_ACTION_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_source(self, queryset, name, value):
        return queryset.filter(visit__isnull=(value != "visit"))
