"""Ten KPIs the practices enter, and a value for every practice and month of the two years.

Each practice starts somewhere of its own on each KPI and drifts towards the better side as the
program goes on, with month-to-month noise, so run charts have trends and signals to find and
practices spread around their peers."""

from dataclasses import dataclass
from datetime import date

from kpis.models import KpiDefinition, KpiValue, Source, ValueOrigin
from psp.demo.scale.context import ScaleContext, at
from psp.demo.scale.spec import MONTHS
from psp.demo.scale.writer import Table
from psp.measures.registry import Aggregation, Direction, Frequency, Unit

H, L, N = Direction.HIGHER, Direction.LOWER, Direction.NEUTRAL


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    unit: str
    direction: str
    aggregation: str
    start: tuple[float, float]  # where practices start, lowest and highest
    drift: float  # change over the two years, towards better
    noise: float
    target: float | None
    denominator: tuple[int, int] | None = None  # a ratio KPI's monthly denominator range


KPIS = [
    Kpi(
        "third-next-available",
        "Third next available appointment",
        Unit.DAYS,
        L,
        Aggregation.MEDIAN,
        (5, 30),
        -8,
        2.5,
        7,
    ),
    Kpi(
        "same-day-access",
        "Same-day access",
        Unit.PERCENT,
        H,
        Aggregation.RATIO,
        (20, 60),
        15,
        5,
        60,
        (80, 600),
    ),
    Kpi(
        "no-show-rate",
        "Missed appointment rate",
        Unit.PERCENT,
        L,
        Aggregation.RATIO,
        (4, 14),
        -3,
        1.5,
        5,
        (200, 2000),
    ),
    Kpi(
        "screening-rate",
        "Screening rate",
        Unit.PERCENT,
        H,
        Aggregation.RATIO,
        (40, 75),
        10,
        3,
        80,
        (50, 400),
    ),
    Kpi(
        "registry-coverage",
        "Chronic disease registry coverage",
        Unit.PERCENT,
        H,
        Aggregation.RATIO,
        (30, 80),
        15,
        3,
        85,
        (40, 300),
    ),
    Kpi(
        "patient-experience",
        "Patient experience",
        Unit.SCORE,
        H,
        Aggregation.MEAN,
        (3.2, 4.4),
        0.3,
        0.15,
        4.5,
    ),
    Kpi(
        "huddles-per-week",
        "Team huddles per week",
        Unit.COUNT,
        H,
        Aggregation.MEAN,
        (0, 3),
        2,
        0.6,
        4,
    ),
    Kpi("tests-of-change", "Tests of change", Unit.COUNT, H, Aggregation.SUM, (0, 2), 2, 0.8, 3),
    Kpi("panel-size", "Panel size", Unit.COUNT, N, Aggregation.SUM, (800, 6000), 150, 40, None),
    Kpi("days-to-payment", "Days to payment", Unit.DAYS, L, Aggregation.MEAN, (20, 60), -10, 4, 30),
]


def definitions_build(ctx: ScaleContext) -> None:
    table = Table(
        KpiDefinition,
        [
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "aggregation",
            "frequency",
            "source",
            "target",
            "min_value",
            "position",
            "created_at",
        ],
    )
    rows = [
        (
            kpi.code,
            kpi.name,
            f"Entered monthly by each practice: {kpi.name.lower()}.",
            kpi.unit,
            kpi.direction,
            kpi.aggregation,
            Frequency.MONTHLY,
            Source.ENTERED,
            kpi.target,
            0,
            position,
            at(ctx.spec.start, 8),
        )
        for position, kpi in enumerate(KPIS)
    ]
    ids = table.ids(len(rows))
    ctx.counts["KPI definitions"] += table.write(ids, rows)
    ctx.definitions = list(zip(ids, KPIS, strict=True))


def periods(today: date) -> list[date]:
    """The first days of the last MONTHS whole months, oldest first."""
    first = today.year * 12 + today.month - 1 - MONTHS
    return [date(m // 12, m % 12 + 1, 1) for m in range(first, first + MONTHS)]


class ValueTable:
    def __init__(self):
        self.table = Table(
            KpiValue,
            [
                "definition_id",
                "practice_id",
                "period",
                "value",
                "numerator",
                "denominator",
                "origin",
                "entered_by_id",
                "updated_at",
            ],
            copy=True,
        )


def values_build(ctx: ScaleContext, values: ValueTable, indexes: range) -> None:
    months = periods(ctx.spec.today)
    entered = [at(month.replace(day=28), 9) for month in months]
    rows = []
    for i in indexes:
        practice_id, lead = ctx.practice_ids[i], ctx.lead_id(i)
        for definition_id, kpi in ctx.definitions:
            rng = ctx.spec.rng(kpi.code, i)
            level = rng.uniform(*kpi.start)
            size = rng.randint(*kpi.denominator) if kpi.denominator else 0
            for m, month in enumerate(months):
                value = max(0.0, level + kpi.drift * m / MONTHS + rng.gauss(0, kpi.noise))
                numerator = denominator = None
                if kpi.denominator:
                    value = min(value, 100.0)
                    denominator = max(1, round(size * rng.uniform(0.9, 1.1)))
                    numerator = round(denominator * value / 100)
                    value = 100 * numerator / denominator
                rows.append(
                    (
                        definition_id,
                        practice_id,
                        month,
                        round(value, 2),
                        numerator,
                        denominator,
                        ValueOrigin.ENTERED,
                        lead,
                        entered[m],
                    )
                )
    ctx.counts["KPI values"] += values.table.write(values.table.ids(len(rows)), rows)
