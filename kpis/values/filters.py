"""The KPI values list's filters (GET …/kpi-values/): one FilterSet, psp/filters.py rules."""

from django_filters import filters as django_filters

from kpis.models import KpiValue, ValueOrigin
from practices.filters import practice_choice
from psp.filters import ChoiceFilter, DateFilter, ProgramFilterSet
from psp.tenancy.permissions import Capability


class KpiValueFilter(ProgramFilterSet):
    kpi = django_filters.CharFilter(field_name="definition__code", label="KPI code", max_length=60)
    practice = practice_choice(Capability.KPI_VIEW)
    period_from = DateFilter(
        field_name="period",
        lookup_expr="gte",
        label="From period",
        description="Values for this period (its first day) or later.",
    )
    period_to = DateFilter(
        field_name="period",
        lookup_expr="lte",
        label="To period",
        description="Values for this period (its first day) or earlier.",
    )
    origin = ChoiceFilter(
        choices=ValueOrigin.choices,
        label="Origin",
        description="entered, imported, api (sent through the API) or computed.",
    )

    class Meta:
        model = KpiValue
        fields = ["kpi", "practice", "period_from", "period_to", "origin"]

    def clean_filters(self, form) -> None:
        first, last = form.cleaned_data.get("period_from"), form.cleaned_data.get("period_to")
        if first and last and last < first:
            form.add_error("period_to", "The end of the period is before its start.")
