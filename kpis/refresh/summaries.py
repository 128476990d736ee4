"""A KPI's summaries: for each period, its values over the whole program and over each sector,
region, primary coach and stage, by the KPI's aggregation, with the distribution and how many
practices met their target. Written per KPI in one transaction (delete, then bulk insert), so
a dashboard reads either the old set or the new one."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kpis.models import Breakdown, KpiDefinition, KpiPracticeTarget, KpiSummary, KpiValue
from kpis.refresh import summaries_sql
from kpis.refresh.stats import meets, summarise
from practices.selectors import practice_groupings
from psp.measures.registry import Aggregation

# A practice's place in each breakdown, in the order of `Grouping`'s fields.
BREAKDOWNS = (Breakdown.SECTOR, Breakdown.REGION, Breakdown.COACH, Breakdown.STAGE)


@dataclass(frozen=True)
class Grouping:
    sector: str
    region: str
    coach: str
    stage: str

    def memberships(self):
        """(breakdown, group key) of every group the practice belongs to."""
        yield Breakdown.ALL, ""
        for breakdown, key in zip(
            BREAKDOWNS, (self.sector, self.region, self.coach, self.stage), strict=True
        ):
            if key:
                yield breakdown, key


def practice_groups() -> dict[int, Grouping]:
    """Every practice of the program in scope and its groups. One query."""
    return {
        pk: Grouping(sector, region or "", str(coach_id) if coach_id else "", stage)
        for pk, sector, region, stage, coach_id in practice_groupings()
    }


def summaries_rebuild(program, definition: KpiDefinition, *, periods, groups) -> int:
    """Replace the definition's summaries for `periods`. Returns how many were written."""
    if connection.vendor == "postgresql":
        rows = summaries_sql.summary_rows(program, definition, periods)
    else:
        rows = _summary_rows(definition, periods, groups)
    KpiSummary.objects.filter(definition=definition, period__in=periods).delete()
    _insert(program, definition, rows, timezone.now())
    return len(rows)


def _summary_rows(definition, periods, groups) -> list[dict]:
    """The figures of every period x group, in Python (SQLite)."""
    values = _period_values(definition, periods, groups)
    targets = _targets(definition)
    program_target = None if definition.target is None else float(definition.target)
    direction = definition.direction
    places: dict[int, tuple] = {}  # practice id -> its groups, worked out once
    rows = []
    for period, entries in values.items():
        grouped: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for practice_id, value, numerator, denominator in entries:
            met = meets(value, targets.get(practice_id, program_target), direction)
            entry = (practice_id, value, numerator, denominator, met)
            keys = places.get(practice_id)
            if keys is None:
                keys = places[practice_id] = tuple(groups[practice_id].memberships())
            for key in keys:
                grouped[key].append(entry)
        for (breakdown, group_key), members in grouped.items():
            figures = summarise(members, aggregation=definition.aggregation)
            rows.append(
                {"period": period, "breakdown": breakdown, "group_key": group_key, **figures}
            )
    return rows


def _insert(program, definition, rows: list[dict], now) -> None:
    """In one statement whatever the number of rows: COPY on PostgreSQL (tens of thousands of
    summaries in a fraction of a second, where building and binding model instances took most
    of a refresh), one executemany elsewhere (SQLite would otherwise split a bulk insert into
    batches of its few hundred parameters)."""
    if not rows:
        return
    names = list(rows[0])
    columns = ["program_id", "definition_id", "computed_at", *names]
    table = KpiSummary._meta.db_table
    for row in rows:
        row["histogram"] = json.dumps(row["histogram"])
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as stream,
        ):
            for row in rows:
                stream.write_row((program.pk, definition.pk, now, *(row[name] for name in names)))
        return
    ops = connection.ops
    fixed = (program.pk, definition.pk, ops.adapt_datetimefield_value(now))
    adapt = {
        "period": ops.adapt_datefield_value,
        **{name: ops.adapt_decimalfield_value for name in DECIMALS},
    }
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
            [(*fixed, *(adapt.get(name, _same)(row[name]) for name in names)) for row in rows],
        )


DECIMALS = ("value", "numerator", "denominator", "minimum", "p25", "median", "p75", "maximum")


def _same(value):
    return value


def _targets(definition) -> dict[int, float]:
    return {
        practice_id: float(target)
        for practice_id, target in KpiPracticeTarget.objects.filter(
            definition=definition
        ).values_list("practice_id", "target")
    }


def _period_values(definition, periods: list[date], groups) -> dict[date, list[tuple]]:
    """period -> entries (practice id, value, numerator, denominator) of the practices that
    count for the definition (its sector's, when it has one). A latest-value KPI carries each
    practice's latest value forward to the periods after it."""
    rows = KpiValue.objects.filter(
        definition=definition, period__gte=periods[0], period__lte=periods[-1]
    ).values_list("practice_id", "period", "value", "numerator", "denominator")
    entries = _entries(rows, definition, groups)
    if definition.aggregation != Aggregation.LATEST:
        by_period: dict[date, list[tuple]] = defaultdict(list)
        for period, entry in entries:
            by_period[period].append(entry)
        return {period: by_period[period] for period in periods if by_period[period]}
    earlier = _entries(_latest_before(definition, periods[0]), definition, groups)
    return _carried_forward(earlier + entries, periods)


def _entries(rows, definition, groups) -> list[tuple[date, tuple]]:
    sector = definition.sector
    return [
        (period, (practice_id, float(value), _float(numerator), _float(denominator)))
        for practice_id, period, value, numerator, denominator in rows
        if practice_id in groups and (not sector or groups[practice_id].sector == sector)
    ]


def _latest_before(definition, start: date):
    """Each practice's last value before the window, which it still stands at in the window's
    first periods. One query."""
    last_period = (
        KpiValue.objects.filter(
            definition=definition, practice=OuterRef("practice"), period__lt=start
        )
        .order_by("-period")
        .values("period")[:1]
    )
    fields = ("practice_id", "period", "value", "numerator", "denominator")
    earlier = KpiValue.objects.filter(definition=definition, period__lt=start)
    return earlier.filter(period=Subquery(last_period)).values_list(*fields)


def _carried_forward(entries, periods: list[date]) -> dict[date, list[tuple]]:
    by_practice: dict[int, list[tuple[date, tuple]]] = defaultdict(list)
    for period, entry in entries:
        by_practice[entry[0]].append((period, entry))
    result: dict[date, list[tuple]] = defaultdict(list)
    for series in by_practice.values():
        series.sort(key=lambda item: item[0])
        position, current = 0, None
        for period in periods:
            while position < len(series) and series[position][0] <= period:
                current = series[position][1]
                position += 1
            if current is not None:
                result[period].append(current)
    return {period: result[period] for period in periods if result[period]}


def _float(number) -> float | None:
    return None if number is None else float(number)
