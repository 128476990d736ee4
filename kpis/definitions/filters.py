"""The filters of the KPI definition lists (each shared by its page and its API, psp/filters.py)."""

from kpis.models import KpiDefinition, KpiPracticeTarget, Source
from practices.filters import practice_choice, sector_choice
from practices.models import Practice
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet, TextSearchFilter, YesNoFilter
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability


class DefinitionFilter(ProgramFilterSet):
    source = ChoiceFilter(choices=Source.choices, label="Source", empty_label="Any source")
    sector = ChoiceFilter(choices=Sector.choices, label="Sector", empty_label="Any sector")
    is_active = YesNoFilter(label="Active")

    class Meta:
        model = KpiDefinition
        fields = ["source", "sector", "is_active"]


def definition_choice() -> IdFilter:
    """`?definition=3`: one of the program's KPI definitions (its admins see them all)."""
    return IdFilter(
        noun="KPI definition",
        label="KPI",
        reach=lambda access: KpiDefinition.objects.order_by("position", "name", "pk"),
        label_from=lambda definition: definition.name,
        empty_label="All KPIs",
    )


class PracticeTargetFilter(ProgramFilterSet):
    definition = definition_choice()
    practice = practice_choice(Capability.PRACTICE_VIEW)

    class Meta:
        model = KpiPracticeTarget
        fields = ["definition", "practice"]


class TargetPracticeFilter(ProgramFilterSet):
    """The practices of a KPI's targets page: 10,000 of them, found by name, region, sector."""

    search = TextSearchFilter(
        fields=("name", "region"),
        label="Practice or region",
        placeholder="Name or region",
        description="Practices whose name or region contain each word.",
    )
    sector = sector_choice()
    own_target = YesNoFilter(
        label="Only practices with their own target", method="filter_own_target"
    )

    class Meta:
        model = Practice
        fields = ["search", "sector", "own_target"]

    def filter_own_target(self, queryset, name, value):
        return queryset.filter(has_own_target=value) if value is not None else queryset
