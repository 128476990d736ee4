"""Demo KPI values: two years of entered values for every active entered KPI of a demo program
and every practice that reports it, so the dashboards have something to say on first run.

Each practice starts somewhere plausible for the KPI (short of the target, on the worse side for
its direction), wobbles a little month to month, and improves gently once its support plan was
accepted. Two practices tell a story the run chart shows: one a clear shift (six or more points
on the better side of the median after a change it made), one a steady trend over the last
seven periods. A third of the practices have not entered their last month or two, so the entry
grid flags them.

Deterministic: the random generator is seeded with the seed, the program, the practice and the
KPI; periods are relative to `demo.now`. Written with one bulk insert (existing rows are left as
they are, so running it again adds only what is missing).

Call `kpi_values_build(demo)` after the program's KPI definitions are loaded."""

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min

from coaching.models import SupportPlan
from kpis.models import KpiDefinition, KpiValue, Source, ValueOrigin
from kpis.values.periods import recent_periods
from kpis.values.validation import is_ratio, ratio_scale, unit_problem
from practices.models import Practice
from psp.demo.common import DemoProgram
from psp.measures.registry import Direction, Frequency, Unit

MONTHS = 24
# Where a KPI without a target starts, by unit.
TYPICAL = {
    Unit.COUNT: 40,
    Unit.PERCENT: 62,
    Unit.DAYS: 18,
    Unit.MINUTES: 35,
    Unit.HOURS: 12,
    Unit.CURRENCY: 4800,
    Unit.SCORE: 7,
}
WOBBLE = 0.06  # month-to-month noise, as a share of the level
PLAN_GAIN = 0.12  # how much better a practice gets over the six months after its plan
SHIFT_GAIN = 0.22
TREND_STEP = 0.035


def kpi_values_build(demo: DemoProgram, *, seed: int = 2026) -> int:
    """Insert the demo values of `demo.program` (inside its scope); returns how many."""
    today = demo.now.date()
    definitions = list(KpiDefinition.objects.filter(source=Source.ENTERED, is_active=True))
    practices = sorted(Practice.objects.all(), key=lambda p: p.name)
    if not definitions or not practices:
        return 0
    plans = dict(
        SupportPlan.objects.filter(accepted_at__isnull=False)
        .values_list("practice_id")
        .annotate(first=Min("accepted_at"))
    )
    stories = {practices[0].pk: "shift"}
    if len(practices) > 3:
        stories[practices[len(practices) // 2].pk] = "trend"
    rows = []
    for definition in definitions:
        periods = _periods(today, definition.frequency)
        for index, practice in enumerate(practices):
            if definition.sector and definition.sector != practice.sector:
                continue
            rng = random.Random(f"{seed}:{demo.program.slug}:{practice.name}:{definition.code}")
            accepted = plans.get(practice.pk)
            series = _series(
                definition, periods, rng,
                plan_from=accepted.date() if accepted else None,
                story=stories.get(practice.pk, ""),
            )  # fmt: skip
            gap = (index % 3 == 2) * (1 + index % 2)  # a third leave their last 1-2 periods out
            kept = series[: len(series) - gap] if gap else series
            rows += [_row(demo, definition, practice, p, v, rng) for p, v in kept]
    # Only the values missing (a second seed adds none). No refresh asked for: the figures
    # step (kpi_figures.py) computes everything next.
    there = set(KpiValue.objects.values_list("definition_id", "practice_id", "period"))
    rows = [r for r in rows if (r.definition_id, r.practice_id, r.period) not in there]
    KpiValue.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _periods(today: date, frequency: str) -> list[date]:
    count = MONTHS // 3 if frequency == Frequency.QUARTERLY else MONTHS
    return recent_periods(today, frequency, count, back=1)


def _start(definition: KpiDefinition, rng: random.Random) -> float:
    """A level short of the target, on the worse side for the KPI's direction."""
    target = float(definition.target) if definition.target is not None else None
    level = target if target else float(TYPICAL.get(definition.unit, 10))
    worse = {Direction.HIGHER: 0.8, Direction.LOWER: 1.3}.get(definition.direction, 1.0)
    start = level * (worse if target else 1.0) * rng.uniform(0.9, 1.1)
    if definition.unit == Unit.PERCENT:
        start = min(start, 95.0)
    return start


def _better(definition: KpiDefinition) -> int:
    return {Direction.HIGHER: 1, Direction.LOWER: -1}.get(definition.direction, 0)


def _series(definition, periods, rng, *, plan_from, story: str) -> list[tuple[date, float]]:
    start, better = _start(definition, rng), _better(definition)
    shift_at = len(periods) - 9  # the last nine periods: well past six on one side
    series = []
    for n, period in enumerate(periods):
        gain = 0.0
        if plan_from is not None and period >= plan_from:
            months_in = (period.year - plan_from.year) * 12 + period.month - plan_from.month
            gain += PLAN_GAIN * min(months_in, 6) / 6
        if story == "shift" and n >= shift_at:
            gain += SHIFT_GAIN
        if story == "trend" and n >= len(periods) - 7:
            gain += TREND_STEP * (n - (len(periods) - 8))
        # The story practices wobble less, so their signal stands out on the chart.
        wobble = WOBBLE / 2 if story else WOBBLE
        noise = 0.0 if story == "trend" and n >= len(periods) - 7 else rng.gauss(0, wobble)
        series.append((period, start * (1 + better * gain + noise)))
    return series


def _clamp(definition: KpiDefinition, value: float) -> Decimal:
    low = float(definition.min_value) if definition.min_value is not None else 0.0
    high = float(definition.max_value) if definition.max_value is not None else None
    if definition.unit == Unit.PERCENT:
        high = min(high, 100.0) if high is not None else 100.0
    if definition.unit == Unit.SCORE and definition.min_value is None:
        low = float("-inf")
    value = max(value, low)
    if high is not None:
        value = min(value, high)
    places = {Unit.COUNT: "1", Unit.CURRENCY: "0.01"}.get(definition.unit, "0.1")
    return Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP)


def _row(demo, definition, practice, period, level, rng) -> KpiValue:
    value = _clamp(definition, level)
    numerator = denominator = None
    if is_ratio(definition):
        denominator = Decimal(rng.randint(150, 900))
        scale = ratio_scale(definition)
        counted = (value * denominator / scale).quantize(Decimal("1"), ROUND_HALF_UP)
        value = (counted * scale / denominator).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if unit_problem(definition, value):  # rounding the count took it past the range
            counted -= (
                1 if definition.max_value is not None and value > definition.max_value else -1
            )
            value = (counted * scale / denominator).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        numerator = counted * scale
    return KpiValue(
        program=demo.program,
        definition=definition,
        practice=practice,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        origin=ValueOrigin.ENTERED,
        updated_at=demo.now,
    )


def build(demo: DemoProgram) -> None:
    """The seed's step (psp/demo/seed.py): the values, counted for the summary it prints."""
    demo.created["KPI values"] += kpi_values_build(demo)
