"""Writing known KPI values and reading the summaries a refresh made of them."""

from decimal import Decimal

from kpis.models import KpiSummary, KpiValue, ValueOrigin


def put_values(world, definition, period, values, **parts) -> None:
    """values: practice index -> value (None: no value); parts: numerators=[...],
    denominators=[...] in the same order."""
    rows = []
    for index, value in enumerate(values):
        if value is None:
            continue
        numerators, denominators = parts.get("numerators"), parts.get("denominators")
        rows.append(
            KpiValue(
                program=world.program,
                definition=definition,
                practice=world.practices[index],
                period=period,
                value=Decimal(str(value)),
                numerator=None if numerators is None else Decimal(str(numerators[index])),
                denominator=None if denominators is None else Decimal(str(denominators[index])),
                origin=ValueOrigin.ENTERED,
            )
        )
    KpiValue.objects.bulk_create(rows)


def summary(definition, period, breakdown="all", group_key="") -> KpiSummary:
    return KpiSummary.objects.get(
        definition=definition, period=period, breakdown=breakdown, group_key=group_key
    )


def figures(row: KpiSummary, *names) -> tuple:
    return tuple(
        None if getattr(row, name) is None else float(getattr(row, name)) for name in names
    )
