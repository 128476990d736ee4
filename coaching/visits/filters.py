"""The visits' filters: the visit list and GET …/visits/ share VisitFilter, GET …/planned-visits/
takes the same but the status (psp/filters.py holds the rules)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from coaching.visits.models import Visit, VisitMode, VisitStatus
from practices.filters import practice_choice, practice_name_search
from practices.selectors import program_coaches
from psp.filters import ChoiceFilter, DateFilter, IdFilter, ProgramFilterSet, TextSearchFilter
from psp.forms_fields import person_label
from psp.tenancy.permissions import Capability

VIEW = Capability.VISIT_VIEW


def coaches_in_reach(access):
    """Who `?coach=` may name: the program's coaches, and whoever made a visit in reach (who may
    coach no more)."""
    coached = Visit.objects.filter(access.practice_filter(VIEW, "practice_id")).values("coach_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=program_coaches().values("pk")) | Q(pk__in=coached))
        .order_by("full_name", "email")
    )


class VisitFilter(ProgramFilterSet):
    practice = practice_choice(VIEW)
    practice_name = practice_name_search()
    coach = IdFilter(
        noun="coach",
        label="Coach",
        reach=coaches_in_reach,
        description="The visits this coach made.",
        options=lambda access: program_coaches(),
        label_from=person_label,
        empty_label="All coaches",
    )
    mode = ChoiceFilter(choices=VisitMode.choices, label="Mode", empty_label="Any mode")
    status = ChoiceFilter(choices=VisitStatus.choices, label="Status", empty_label="Any status")
    date_from = DateFilter(
        field_name="visit_date",
        lookup_expr="gte",
        label="From",
        description="Visits on this day or later.",
    )
    date_to = DateFilter(
        field_name="visit_date",
        lookup_expr="lte",
        label="To",
        description="Visits on this day or earlier.",
    )
    search = TextSearchFilter(
        fields=("purpose", "practice__name"),
        label="Search",
        description="Visits whose purpose or practice's name contain each word.",
    )

    class Meta:
        model = Visit
        fields = [
            "practice",
            "practice_name",
            "coach",
            "mode",
            "status",
            "date_from",
            "date_to",
            "search",
        ]


class PlannedVisitFilter(VisitFilter):
    status = None  # planned, all of them

    class Meta:
        model = Visit
        fields = ["practice", "practice_name", "coach", "mode", "date_from", "date_to", "search"]
