"""A computed KPI's values: its measure asked for the window, folded into quarters for a
quarterly KPI, and written as the KPI's values with as few writes as the changes need."""

import math
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kpis.models import KpiDefinition, KpiValue, ValueOrigin
from kpis.refresh.periods import months_of, quarter_start
from kpis.refresh.stats import combine, to_decimal
from psp.measures.registry import Aggregation, Frequency, MeasureValue, compute_values, registry

WRITE_BATCH = 2000
DELETE_BATCH = 5000
UNIQUE = ["program", "definition", "practice", "period"]
CHANGING = ["value", "numerator", "denominator", "origin", "note", "updated_at"]


def is_computable(definition: KpiDefinition) -> bool:
    return definition.source == "computed" and registry.get(definition.measure) is not None


def measure_values(
    program, definition, *, periods: list[date], until: date, practice_ids
) -> dict[tuple[int, date], tuple]:
    """(practice id, period) -> (value, numerator, denominator) as Decimals, from the
    definition's measure."""
    months = months_of(definition.frequency, periods, until)
    answers = compute_values(program, definition.measure, months=months, practice_ids=practice_ids)
    if definition.frequency == Frequency.QUARTERLY:
        return _by_quarter(answers, definition.aggregation)
    return {
        (answer.practice_id, answer.period): (
            _places(answer.value),
            _places(answer.numerator),
            _places(answer.denominator),
        )
        for answer in answers
    }


def values_write(program, definition, *, periods: list[date], wanted: dict) -> dict:
    """Make the definition's values in `periods` exactly `wanted`: insert or update what
    differs (in bulk, no save per row) and delete the computed values the measure no longer
    gives. Returns counts of what was written."""
    existing = {
        (practice_id, period): (pk, (value, numerator, denominator), origin)
        for pk, practice_id, period, value, numerator, denominator, origin in (
            KpiValue.objects.filter(definition=definition, period__in=periods).values_list(
                "pk", "practice_id", "period", "value", "numerator", "denominator", "origin"
            )
        )
    }
    now = timezone.now()
    changed = [
        KpiValue(
            program=program,
            definition=definition,
            practice_id=practice_id,
            period=period,
            value=figures[0],
            numerator=figures[1],
            denominator=figures[2],
            origin=ValueOrigin.COMPUTED,
            note="",
            updated_at=now,
        )
        for (practice_id, period), figures in wanted.items()
        if _differs(existing.get((practice_id, period)), figures)
    ]
    if changed:
        KpiValue.objects.bulk_create(
            changed,
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=UNIQUE,
            update_fields=CHANGING,
        )
    gone = [
        row[0]
        for key, row in existing.items()
        if key not in wanted and row[2] == ValueOrigin.COMPUTED
    ]
    for start in range(0, len(gone), DELETE_BATCH):
        KpiValue.objects.filter(pk__in=gone[start : start + DELETE_BATCH]).delete()
    return {"written": len(changed), "removed": len(gone)}


def _differs(row, figures) -> bool:
    return row is None or row[2] != ValueOrigin.COMPUTED or tuple(row[1]) != tuple(figures)


def _places(number) -> Decimal | None:
    if number is None:
        return None
    return to_decimal(float(number)) if not isinstance(number, Decimal) else _quantized(number)


def _quantized(number: Decimal) -> Decimal:
    return number.quantize(Decimal("0.0001"))


def _by_quarter(answers, aggregation: str) -> dict:
    """A quarter's value from its months', as the KPI aggregates over periods: summed, a mean
    or median of the months, the last month's, or a ratio of the summed parts."""
    months: dict[tuple[int, date], list[MeasureValue]] = defaultdict(list)
    for answer in answers:
        months[(answer.practice_id, quarter_start(answer.period))].append(answer)
    folded = {}
    for key, answers_of_quarter in months.items():
        answers_of_quarter.sort(key=lambda answer: answer.period)
        if aggregation == Aggregation.LATEST:
            last = answers_of_quarter[-1]
            folded[key] = (_places(last.value), _places(last.numerator), _places(last.denominator))
            continue
        entries = [
            (
                answer.practice_id,
                float(answer.value),
                _float(answer.numerator),
                _float(answer.denominator),
            )
            for answer in answers_of_quarter
        ]
        value, numerator, denominator = combine(aggregation, entries)
        if value is None or math.isnan(value):
            continue
        folded[key] = (to_decimal(value), to_decimal(numerator), to_decimal(denominator))
    return folded


def _float(number) -> float | None:
    return None if number is None else float(number)
