"""What the dashboard shows, built from a reading (kpis/dashboard/selectors.py): the headline
tiles, a run chart per KPI, the breakdowns, the distribution, the enrolment funnel and the
practices at risk. The page, its CSV downloads and the program report all use these, so they
always agree."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coaching.caseload.standings import program_caseload
from kpis.dashboard import annotations as annotation_sources
from kpis.dashboard import selectors
from kpis.models import Breakdown, KpiDefinition
from kpis.runcharts import RunChart, run_chart
from practices.selectors import practices_by_stage
from psp.charts import column_chart
from psp.measures.registry import Direction, Unit

AT_RISK_SHOWN = 5
STATUS_AT_RISK = "stalled"
SUFFIX = {Unit.PERCENT: "%", Unit.DAYS: " days", Unit.MINUTES: " min", Unit.HOURS: " h"}


def value_text(value, unit: str) -> str:
    """A KPI's value as people read it: 12.5%, 3 days, 1,204."""
    if value is None:
        return "—"
    number = Decimal(value).quantize(Decimal("0.1"))
    text = f"{number:,.1f}".removesuffix(".0")
    if unit == Unit.CURRENCY:
        return f"${text}"
    return text + SUFFIX.get(unit, "")


def month_label(period: date) -> str:
    return f"{period:%b %Y}"


def hidden_text(minimum: int) -> str:
    return f"Fewer than {minimum} practices: not shown to protect them"


@dataclass
class Tile:
    definition: KpiDefinition
    figure: selectors.Figure | None
    previous: selectors.Figure | None
    value_text: str
    target_text: str
    change_text: str
    verdict: str  # "better", "worse", "steady" or "" (nothing to compare)
    meets_target: bool | None

    @property
    def on_target_text(self) -> str:
        if self.figure is None or self.definition.target is None:
            return ""
        return f"{self.figure.on_target} of {self.figure.practices} practices on target"


def tiles(reading: selectors.Reading) -> list[Tile]:
    return [_tile(reading, definition) for definition in reading.definitions]


def _tile(reading, definition) -> Tile:
    figures = reading.figures.get(definition.pk, {})
    shown = [figures[month] for month in reading.months if month in figures]
    shown = [figure for figure in shown if figure.value is not None]
    latest = shown[-1] if shown else None
    previous = shown[-2] if len(shown) > 1 else None
    unit, target = definition.unit, definition.target
    verdict, change_text = "", ""
    if latest is not None and previous is not None:
        change = Decimal(latest.value) - Decimal(previous.value)
        verdict = _verdict(change, definition.direction)
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        word = {"better": "better", "worse": "worse"}.get(verdict, "no change")
        change_text = (
            f"{sign}{value_text(abs(change), unit)} since {month_label(previous.period)}: {word}"
        )
    meets = None
    if latest is not None and target is not None and definition.direction != Direction.NEUTRAL:
        higher = definition.direction == Direction.HIGHER
        meets = latest.value >= target if higher else latest.value <= target
    return Tile(
        definition=definition,
        figure=latest,
        previous=previous,
        value_text=value_text(latest.value, unit) if latest else "",
        target_text=value_text(target, unit) if target is not None else "",
        change_text=change_text,
        verdict=verdict,
        meets_target=meets,
    )


def _verdict(change: Decimal, direction: str) -> str:
    if change == 0 or direction == Direction.NEUTRAL:
        return "steady"
    return "better" if (change > 0) == (direction == Direction.HIGHER) else "worse"


@dataclass
class KpiChart:
    definition: KpiDefinition
    chart: RunChart
    median_text: str
    target_text: str
    hidden_months: list[str]

    @property
    def has_values(self) -> bool:
        return any(point.value is not None for point in self.chart.points)


def charts(reading: selectors.Reading, notes) -> list[KpiChart]:
    result = []
    for definition in reading.definitions:
        figures = reading.figures.get(definition.pk, {})
        unit = definition.unit
        points = []
        for month in reading.months:
            figure = figures.get(month)
            value = figure.value if figure is not None else None
            points.append((month, month_label(month), value, value_text(value, unit)))
        chart = run_chart(
            points,
            target=definition.target,
            annotations=notes,
            unit_text=lambda number, unit=unit: value_text(number, unit),
        )
        hidden = sorted(reading.hidden.get(definition.pk, ()))
        result.append(
            KpiChart(
                definition,
                chart,
                value_text(chart.median, unit) if chart.median is not None else "",
                value_text(definition.target, unit) if definition.target is not None else "",
                [month_label(month) for month in hidden],
            )
        )
    return result


def chosen(reading: selectors.Reading, kpi_id) -> tuple[KpiDefinition | None, date | None]:
    """The KPI the breakdowns are about (the first, unless one is asked for) and its latest
    month with a figure shown (else the period's last month)."""
    definitions = {definition.pk: definition for definition in reading.definitions}
    definition = definitions.get(kpi_id) or next(iter(reading.definitions), None)
    if definition is None:
        return None, None
    figures = reading.figures.get(definition.pk, {})
    months = [month for month in reading.months if month in figures]
    return definition, (months[-1] if months else reading.last)


def distribution_chart(bins, unit: str):
    """Columns labelled with where each range starts (the table under it gives both ends)."""
    return column_chart([(value_text(low, unit), n) for low, _, n in bins])


def funnel(*, access, reading: selectors.Reading) -> list[dict]:
    return practices_by_stage(access=access, practices=reading.practices)


def at_risk(*, access, values: dict) -> dict:
    """The stalled practices among those filtered (by coach, stage and sector: the caseload's
    filters), worst first: their number and the first few."""
    caseload = program_caseload(
        access=access,
        coach_id=values["coach_id"],
        stage=values["stage"],
        sector=values["sector"],
        status=STATUS_AT_RISK,
    )
    standings = list(caseload.standings.select_related("practice")[:AT_RISK_SHOWN])
    return {"count": caseload.counts[STATUS_AT_RISK], "standings": standings}


def dashboard(*, access, program, values: dict, sections=("all",)) -> dict:
    """Everything the page shows, in a fixed number of queries."""
    reading = selectors.read(access=access, program=program, values=values)
    notes = annotation_sources.annotations(
        practices=reading.practices, first=reading.first, last=reading.last, group=reading.group
    )
    definition, period = chosen(reading, values["kpi_id"])
    shown_tiles, drawn = tiles(reading), charts(reading, notes)
    context = {
        "reading": reading,
        "freshness": selectors.freshness(),
        "tiles": shown_tiles,
        "tiles_without_figure": [t.definition.name for t in shown_tiles if t.figure is None],
        "charts": drawn,
        "charts_without_values": [c.definition.name for c in drawn if not c.has_values],
        "annotations": notes,
        "hidden_text": hidden_text(reading.minimum),
        "breakdown_kpi": definition,
        "breakdown_period": period,
        "breakdown_labels": dict(Breakdown.choices),
    }
    if "report" in sections:
        return context
    groups = bins = []
    if definition is not None:
        groups = selectors.breakdowns(reading=reading, definition=definition, period=period)
        for group in (group for listed in groups.values() for group in listed):
            group.text = value_text(group.figure.value, definition.unit)
        bins = selectors.distribution(reading=reading, definition=definition, period=period)
    context |= {
        "breakdowns": groups,
        "bins": bins,
        "distribution": distribution_chart(bins, definition.unit) if bins else None,
        "funnel": funnel(access=access, reading=reading),
        "at_risk": at_risk(access=access, values=values),
    }
    return context
