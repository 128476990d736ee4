"""Reads for entering KPI values: a practice's entered KPIs with their values over recent periods
(the grid), the values in a person's reach (the API), and what the CSV import looks up.

The grid costs three queries (definitions, the practice's own targets, the values) however many
KPIs and periods it shows."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from kpis.models import KpiDefinition, KpiPracticeTarget, KpiValue, Source
from kpis.values.periods import (
    period_code,
    period_label,
    period_of,
    recent_periods,
)
from kpis.values.validation import earliest_period, is_ratio
from psp.measures.registry import Frequency
from psp.tenancy.permissions import Capability

ENTER = Capability.KPI_ENTER
MONTHS_SHOWN = 6
QUARTERS_SHOWN = 4


def entered_definitions(*, sector: str | None = None) -> QuerySet[KpiDefinition]:
    """The program's active KPIs practices enter; for one sector's practices when given."""
    definitions = KpiDefinition.objects.filter(source=Source.ENTERED, is_active=True)
    if sector is not None:
        definitions = definitions.filter(Q(sector="") | Q(sector=sector))
    return definitions.order_by("position", "name", "pk")


def definitions_by_code(codes) -> dict[str, KpiDefinition]:
    """The program's KPIs with these codes, whatever their source (the checks say why a
    computed or retired one cannot take a value)."""
    return {d.code: d for d in KpiDefinition.objects.filter(code__in=set(codes))}


def values_in_reach(*, access) -> QuerySet[KpiValue]:
    """The values of the practices the person may see KPIs of, for the API's list."""
    return (
        KpiValue.objects.filter(access.practice_filter(Capability.KPI_VIEW, "practice_id"))
        .select_related("definition", "practice", "entered_by")
        .order_by("-period", "practice_id", "definition__position", "definition_id")
    )


@dataclass
class Cell:
    period: date
    code: str  # 2026-03 / 2026-Q1: the cell's inputs are named with it
    label: str
    value: KpiValue | None
    before_enrolment: bool  # shown, but not counted as missing
    typed: dict = field(default_factory=dict)  # what was typed, when it could not be saved
    errors: list = field(default_factory=list)
    saved: bool = False

    @property
    def missing(self) -> bool:
        return self.value is None and not self.before_enrolment


@dataclass
class Row:
    definition: KpiDefinition
    target: object
    cells: list[Cell]

    @property
    def is_ratio(self) -> bool:
        return is_ratio(self.definition)

    @property
    def missing_count(self) -> int:
        return sum(cell.missing for cell in self.cells)


@dataclass
class Table:
    frequency: str
    periods: list[tuple[date, str]]
    rows: list[Row]

    @property
    def noun(self) -> str:
        return "quarter" if self.frequency == Frequency.QUARTERLY else "month"


def entry_grid(*, practice, back: int = 0, today: date | None = None) -> list[Table]:
    """The practice's entered KPIs × recent periods (the last completed months or quarters,
    `back` periods further back), one table per frequency."""
    today = today or timezone.localdate()
    definitions = list(entered_definitions(sector=practice.sector))
    targets = dict(
        KpiPracticeTarget.objects.filter(practice=practice).values_list("definition_id", "target")
    )
    windows = {
        Frequency.MONTHLY: recent_periods(today, Frequency.MONTHLY, MONTHS_SHOWN, back=back + 1),
        Frequency.QUARTERLY: recent_periods(
            today, Frequency.QUARTERLY, QUARTERS_SHOWN, back=back + 1
        ),
    }
    first = min(periods[0] for periods in windows.values())
    last = max(periods[-1] for periods in windows.values())
    values = {
        (v.definition_id, v.period): v
        for v in KpiValue.objects.filter(
            practice=practice,
            definition__in=[d.pk for d in definitions],
            period__gte=first,
            period__lte=last,
        )
    }
    tables = []
    for frequency, periods in windows.items():
        rows = [
            _row(definition, practice, periods, values, targets)
            for definition in definitions
            if definition.frequency == frequency
        ]
        if rows:
            heads = [(p, period_label(p, frequency)) for p in periods]
            tables.append(Table(frequency=frequency, periods=heads, rows=rows))
    return tables


def _row(definition, practice, periods, values, targets) -> Row:
    enrolled = max(period_of(practice.enrolled_on, definition.frequency), date(2000, 1, 1))
    earliest = earliest_period(definition, practice)
    cells = [
        Cell(
            period=period,
            code=period_code(period, definition.frequency),
            label=period_label(period, definition.frequency),
            value=values.get((definition.pk, period)),
            before_enrolment=period < enrolled or period < earliest,
        )
        for period in periods
    ]
    target = targets.get(definition.pk, definition.target)
    return Row(definition=definition, target=target, cells=cells)


def grid_definition(*, practice, pk) -> KpiDefinition | None:
    """One of the practice's entered KPIs (for saving one cell), or None."""
    return entered_definitions(sector=practice.sector).filter(pk=pk).first()
