"""The dashboard's filters, shared by the page (and its CSV downloads) and GET …/kpi-aggregates/:
a period of whole months (the last 24 by default), the practices' sector, region, primary
coach and stage, and the KPI the breakdowns are about."""

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from kpis.models import KpiDefinition, KpiSummary
from practices.models import Stage
from practices.selectors import program_coaches, program_regions
from psp.filters import ChoiceFilter, DateFilter, IdFilter, ProgramFilterSet
from psp.forms_fields import person_label
from psp.tenancy.models import Sector

MONTHS_SHOWN = 24  # two years: enough points for the run-chart rules to say something
MAX_MONTHS = 120


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def region_choices() -> list[tuple[str, str]]:
    return [(region, region) for region in program_regions()]


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(ChoiceFilter):
    """A region the program's practices are in: its choices are the program's, read when the
    form is made, so the schema says only that it is text."""


class DashboardFilter(ProgramFilterSet):
    date_from = DateFilter(
        label="From", description="The first month shown (any day in it; default: 23 months ago)."
    )
    date_to = DateFilter(
        label="To", description="The last month shown (any day in it; default: this month)."
    )
    sector = ChoiceFilter(choices=Sector.choices, label="Sector", empty_label="All sectors")
    region = RegionFilter(choices=region_choices, label="Region", empty_label="All regions")
    coach = IdFilter(
        noun="coach",
        label="Coach",
        description="Only the practices this coach is the primary coach of.",
        reach=lambda access: program_coaches(),
        label_from=person_label,
        empty_label="All coaches",
    )
    stage = ChoiceFilter(choices=Stage.choices, label="Stage", empty_label="All stages")
    kpi = IdFilter(
        noun="KPI",
        label="KPI for the breakdowns",
        description="The KPI broken down by sector, region, coach and stage (default: the first).",
        reach=lambda access: KpiDefinition.objects.filter(is_active=True),
        empty_label="The first KPI",
    )

    class Meta:
        model = KpiSummary
        fields = ["date_from", "date_to", "sector", "region", "coach", "stage", "kpi"]

    @staticmethod
    def period(data: dict, today: date | None = None) -> tuple[date, date]:
        """The first days of the first and last months asked for."""
        today = today or timezone.localdate()
        last = month_start(data.get("date_to") or today)
        first = month_start(data.get("date_from") or add_months(last, 1 - MONTHS_SHOWN))
        return first, last

    def clean_filters(self, form) -> None:
        if {"date_from", "date_to"} & set(form.errors):
            return
        first, last = self.period(form.cleaned_data)
        if first > last:
            form.add_error("date_to", "The last month must not be before the first.")
        elif len(months_between(first, last)) > MAX_MONTHS:
            form.add_error("date_to", "A period can be at most ten years long.")

    def values(self) -> dict:
        data = self.cleaned
        first, last = self.period(data)
        coach = data.get("coach")
        return {
            "first": first,
            "last": last,
            "sector": data.get("sector") or None,
            "region": data.get("region") or None,
            "coach_id": coach.pk if coach is not None else None,
            "stage": data.get("stage") or None,
            "kpi_id": data["kpi"].pk if data.get("kpi") is not None else None,
        }
