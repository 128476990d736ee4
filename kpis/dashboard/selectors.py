"""Reads of the program dashboard and the aggregates API: a fixed number of queries whatever the
number of practices, periods and KPIs.

Which rows answer depends on the filters. With none, or one (a sector, region, coach or stage),
the refresh job has already aggregated exactly that group: the page reads `KpiSummary` rows
(breakdown "all", or that breakdown and group). Two or more filters together name a group no
summary holds, so the practices' own `KpiValue`s are aggregated here, bounded by the filters and
the period, through the (program, definition, period) index. Either way a group of fewer
practices than the program's peer-group minimum is dropped before anything is shown.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Sum

from kpis.dashboard.filters import months_between
from kpis.models import Aggregation, Breakdown, KpiDefinition, KpiRefresh, KpiSummary, KpiValue
from practices.models import Stage
from practices.selectors import practices_matching
from psp.measures.registry import Direction
from psp.tenancy.models import Sector

# The filter behind each breakdown, in the order the page shows the breakdowns.
GROUPINGS = {
    Breakdown.SECTOR: "sector",
    Breakdown.REGION: "region",
    Breakdown.COACH: "coach_id",
    Breakdown.STAGE: "stage",
}
# Where a practice's group is, for the breakdowns aggregated from values.
VALUE_GROUP_FIELDS = {
    Breakdown.SECTOR: "practice__sector",
    Breakdown.REGION: "practice__region",
    Breakdown.COACH: "practice__coach_assignments__coach_id",
    Breakdown.STAGE: "practice__stage",
}
BINS = 10


@dataclass
class Figure:
    """A KPI's aggregate for one period over one group of practices."""

    period: date
    practices: int
    value: Decimal | None
    on_target: int = 0
    median: Decimal | None = None
    histogram: list = field(default_factory=list)
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@dataclass
class Group:
    key: str
    label: str
    figure: Figure
    text: str = ""  # the value as people read it (kpis/dashboard/panels.py)


@dataclass
class Reading:
    """What the filters chose and where its figures come from."""

    first: date
    last: date
    minimum: int  # the program's peer-group minimum
    group: tuple[str, str] | None  # the summaries read (breakdown, key); None: the values
    practices: QuerySet  # the practices the filters choose
    definitions: list[KpiDefinition]
    figures: dict[int, dict[date, Figure]]  # definition id -> period -> figure (shown ones)
    hidden: dict[int, set[date]]  # definition id -> periods whose group is under the minimum

    @property
    def from_summaries(self) -> bool:
        return self.group is not None

    @property
    def months(self) -> list[date]:
        return months_between(self.first, self.last)


def freshness() -> KpiRefresh | None:
    return KpiRefresh.objects.first()


def active_definitions() -> list[KpiDefinition]:
    return list(KpiDefinition.objects.filter(is_active=True).order_by("position", "name"))


def summary_group(values: dict) -> tuple[str, str] | None:
    """The summary rows matching the filters (breakdown, group key), or None when two or more
    filters combine and no summary holds that group."""
    given = [
        (breakdown, str(values[name])) for breakdown, name in GROUPINGS.items() if values[name]
    ]
    if not given:
        return Breakdown.ALL, ""
    return given[0] if len(given) == 1 else None


def read(*, access, program, values: dict) -> Reading:
    """The active KPIs and their figures per month of the period for the filtered practices."""
    definitions = active_definitions()
    practices = practices_matching(
        access=access,
        sector=values["sector"],
        region=values["region"],
        coach_id=values["coach_id"],
        stage=values["stage"],
    )
    group = summary_group(values)
    first, last = values["first"], values["last"]
    if group is not None:
        figures = _summary_figures(*group, first, last)
    else:
        figures = _value_figures(practices, definitions, first, last)
    minimum = program.peer_group_minimum
    shown: dict[int, dict[date, Figure]] = {}
    hidden: dict[int, set[date]] = {}
    for (definition_id, period), figure in figures.items():
        if figure.practices < minimum:
            hidden.setdefault(definition_id, set()).add(period)
        else:
            shown.setdefault(definition_id, {})[period] = figure
    return Reading(first, last, minimum, group, practices, definitions, shown, hidden)


def _summary_figures(breakdown, group_key, first, last) -> dict:
    rows = KpiSummary.objects.filter(
        breakdown=breakdown,
        group_key=group_key,
        period__gte=first,
        period__lte=last,
        definition__is_active=True,
    ).order_by()
    return {(row.definition_id, row.period): _figure_of(row) for row in rows}


def _figure_of(row: KpiSummary) -> Figure:
    return Figure(
        period=row.period,
        practices=row.practices,
        value=row.value,
        on_target=row.on_target,
        median=row.median,
        histogram=row.histogram or [],
        minimum=row.minimum,
        maximum=row.maximum,
    )


def _on_target() -> Q:
    """A value meeting the program's target, whichever way is better."""
    target = F("definition__target")
    return Q(definition__direction=Direction.HIGHER, value__gte=target) | Q(
        definition__direction=Direction.LOWER, value__lte=target
    )


def _value_totals(queryset: QuerySet, *keys: str) -> QuerySet:
    return (
        queryset.values(*keys)
        .annotate(
            n=Count("*"),
            mean=Avg("value"),
            total=Sum("value"),
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
            on_target_n=Count("pk", filter=_on_target()),
            low=Min("value"),
            high=Max("value"),
        )
        .order_by()
    )


def _combined(row: dict, aggregation: str) -> Decimal | None:
    """A group's value by the KPI's aggregation. A median or latest value over practices is
    not something one grouped query gives: the mean stands in (the page says so)."""
    if aggregation == Aggregation.SUM:
        return row["total"]
    if aggregation == Aggregation.RATIO:
        numerator, denominator = row["numerator_sum"], row["denominator_sum"]
        return None if not denominator else Decimal(numerator or 0) / Decimal(denominator)
    return None if row["mean"] is None else Decimal(row["mean"])


def _value_figures(practices, definitions, first, last) -> dict:
    aggregation = {definition.pk: definition.aggregation for definition in definitions}
    values = KpiValue.objects.filter(
        definition_id__in=list(aggregation),
        period__gte=first,
        period__lte=last,
        practice__in=practices.values("pk"),
    )
    return {
        (row["definition_id"], row["period"]): Figure(
            period=row["period"],
            practices=row["n"],
            value=_combined(row, aggregation[row["definition_id"]]),
            on_target=row["on_target_n"],
            minimum=row["low"],
            maximum=row["high"],
        )
        for row in _value_totals(values, "definition_id", "period")
    }


# Breakdowns and the distribution --------------------------------------------------------------


def breakdowns(*, reading: Reading, definition: KpiDefinition, period: date) -> dict:
    """The KPI's figure for `period` in each sector, region, coach and stage (breakdown ->
    groups, largest first; groups under the minimum left out), from the summaries without
    filters, else from the filtered practices' values."""
    if reading.group == (Breakdown.ALL, ""):
        rows = KpiSummary.objects.filter(
            definition=definition, period=period, breakdown__in=list(GROUPINGS)
        ).order_by()
        found = [(row.breakdown, row.group_key, _figure_of(row)) for row in rows]
    else:
        found = _value_breakdowns(reading, definition, period)
    labels = _labels([key for breakdown, key, _ in found if breakdown == Breakdown.COACH])
    result: dict[str, list[Group]] = {breakdown: [] for breakdown in GROUPINGS}
    for breakdown, key, figure in found:
        if figure.practices >= reading.minimum and figure.value is not None:
            label = labels.get((breakdown, key)) or key or "Not given"
            result[breakdown].append(Group(key, label, figure))
    for groups in result.values():
        groups.sort(key=lambda group: (-group.figure.practices, group.label))
    return result


def _value_breakdowns(reading, definition, period) -> list:
    values = KpiValue.objects.filter(
        definition=definition, period=period, practice__in=reading.practices.values("pk")
    )
    found = []
    for breakdown, path in VALUE_GROUP_FIELDS.items():
        grouped = (
            values.filter(practice__coach_assignments__is_primary=True)
            if (breakdown == Breakdown.COACH)
            else values
        )
        for row in _value_totals(grouped, path):
            figure = Figure(
                period=period,
                practices=row["n"],
                value=_combined(row, definition.aggregation),
                on_target=row["on_target_n"],
            )
            found.append((breakdown, str(row[path] or ""), figure))
    return found


def _labels(coach_keys: list[str]) -> dict:
    labels = {(Breakdown.SECTOR, value): label for value, label in Sector.choices}
    labels |= {(Breakdown.STAGE, value): label for value, label in Stage.choices}
    ids = [int(key) for key in coach_keys if key.isdigit()]
    if ids:
        for person in get_user_model().objects.filter(pk__in=ids).only("full_name", "email"):
            labels[(Breakdown.COACH, str(person.pk))] = person.full_name or person.email
    return labels


def distribution(*, reading: Reading, definition: KpiDefinition, period: date) -> list:
    """The practices' values for `period` in ten equal bins, as (low, high, practices); empty
    when the group is under the minimum or has no spread to bin."""
    figure = reading.figures.get(definition.pk, {}).get(period)
    if figure is None or figure.minimum is None or figure.maximum is None:
        return []
    low, high = Decimal(figure.minimum), Decimal(figure.maximum)
    counts = list(figure.histogram)
    if not reading.from_summaries or len(counts) != BINS:
        counts = _value_bins(reading, definition, period, low, high)
    step = (high - low) / BINS
    return [(low + step * index, low + step * (index + 1), n) for index, n in enumerate(counts)]


def _value_bins(reading, definition, period, low, high) -> list[int]:
    counts = [0] * BINS
    if high <= low:
        counts[0] = reading.figures[definition.pk][period].practices
        return counts
    values = KpiValue.objects.filter(
        definition=definition, period=period, practice__in=reading.practices.values("pk")
    )
    step = (high - low) / BINS
    bounds = [low + step * index for index in range(1, BINS)]
    cases = {
        f"bin{index}": Count(
            "pk",
            filter=Q(value__lt=bounds[index]) & (Q(value__gte=bounds[index - 1]) if index else Q()),
        )
        for index in range(BINS - 1)
    }
    totals = values.aggregate(**cases, top=Count("pk", filter=Q(value__gte=bounds[-1])))
    return [totals[f"bin{index}"] for index in range(BINS - 1)] + [totals["top"]]
