"""The filter of the CPD activities' lists: the verifier's queue and GET …/cpd-activities/ share
it (psp/filters.py holds the rules). Practices and people are looked up among those whose
activities the caller may read."""

from django.db.models import Q

from cpd.activities import selectors
from cpd.activities.models import ActivityStatus, ActivityType, CpdActivity
from practices.filters import PRACTICE_NAME, practice_name_search
from practices.models import Practice
from psp.filters import ChoiceFilter, IdFilter, MultipleChoiceFilter, ProgramFilterSet, YesNoFilter
from psp.forms_fields import person_label
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability
from psp.widgets import SearchChoice

VIEW = Capability.CPD_VIEW


def practices_in_reach(access):
    """A verifier reads the whole program's submitted CPD; others the practices cpd.view
    reaches for them (none for someone who reads only their own)."""
    practices = Practice.objects.only("pk", "name").order_by("name", "pk")
    if selectors.can_verify(access):
        return practices
    return practices.filter(access.practice_filter(VIEW))


def _several_practices(access) -> bool:
    if selectors.can_verify(access):
        return True
    reached = access.practice_ids(VIEW)
    return access.can(VIEW) and (reached is None or len(reached) > 1)


class CpdActivityFilter(ProgramFilterSet):
    status = MultipleChoiceFilter(choices=ActivityStatus.choices, label="Status")
    activity_type = ChoiceFilter(choices=ActivityType.choices, label="Type", empty_label="Any type")
    practice = IdFilter(
        noun="practice",
        label="Practice",
        reach=practices_in_reach,
        label_from=lambda practice: practice.name,
        empty_label="All practices",
        description="The activities recorded by people of this practice.",
        shown_if=_several_practices,
        # A search box rather than thousands of options once the program has many practices.
        search=SearchChoice(
            param=PRACTICE_NAME,
            url_name="practices:options",
            capability=VIEW.value,
            noun="practice",
        ),
    )
    sector = ChoiceFilter(
        field_name="practice__sector",
        choices=Sector.choices,
        label="Sector",
        empty_label="All sectors",
        description="The activities of people whose practice is in this sector.",
        shown_if=_several_practices,
    )
    practice_name = practice_name_search()
    person = IdFilter(
        noun="person",
        label="Person",
        reach=lambda access: selectors.queue_people(access=access),
        label_from=person_label,
        empty_label="Anyone",
        description="The activities this person recorded.",
        shown_if=lambda access: access.can(VIEW) or selectors.can_verify(access),
    )
    evidence_requested = YesNoFilter(
        method="filter_evidence_requested",
        label="Evidence asked for",
        description="true: a verifier asked for evidence that has not come yet.",
    )

    class Meta:
        model = CpdActivity
        fields = [
            "status",
            "activity_type",
            "practice",
            "practice_name",
            "sector",
            "person",
            "evidence_requested",
        ]

    def filter_evidence_requested(self, queryset, name, value):
        if value is None:
            return queryset
        asked = ~Q(evidence_requested="")
        return queryset.filter(asked) if value else queryset.exclude(asked)
