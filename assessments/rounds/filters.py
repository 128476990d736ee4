"""The filters of the assessment lists: the assessments page and GET …/assessments/ share
AssessmentFilter; GET …/domain-scores/ has its own (psp/filters.py holds the rules)."""

from django_filters import CharFilter

from assessments.instruments.filters import instrument_choice
from assessments.rounds.models import Assessment, AssessmentKind, AssessmentStatus, DomainScore
from practices.filters import practice_choice, practice_name_search
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet
from psp.tenancy.permissions import Capability

VIEW = Capability.ASSESSMENT_VIEW


class AssessmentFilter(ProgramFilterSet):
    practice = practice_choice(VIEW)
    practice_name = practice_name_search()
    instrument = instrument_choice("version__instrument")
    status = ChoiceFilter(choices=AssessmentStatus.choices, label="Status", empty_label="All")
    kind = ChoiceFilter(
        choices=AssessmentKind.choices,
        label="Round",
        empty_label="All",
        description="Baseline or follow-up.",
    )

    class Meta:
        model = Assessment
        fields = ["practice", "practice_name", "instrument", "status", "kind"]


def assessments_in_reach(access):
    return Assessment.objects.filter(access.practice_filter(VIEW, "practice_id"))


class DomainScoreFilter(ProgramFilterSet):
    assessment = IdFilter(
        field_name="assessment", noun="assessment", label="Assessment", reach=assessments_in_reach
    )
    practice = practice_choice(VIEW, "assessment__practice")
    domain_key = CharFilter(label="Domain key", max_length=100)

    class Meta:
        model = DomainScore
        fields = ["assessment", "practice", "domain_key"]
