"""A KPI's summaries grouped in PostgreSQL: one statement per KPI gives every period x group's
figures (count, sum, mean, quartiles by percentile_cont, extremes, ratio parts, targets met
and the ten-bin histogram), so no value crosses to Python. The same arithmetic as stats.py,
which the SQLite path runs; the tests run on both."""

from datetime import date

from django.db import connection

from kpis.models import KpiPracticeTarget, KpiValue
from kpis.refresh.stats import BINS, to_decimal
from practices.models import CoachAssignment, Practice
from psp.measures.registry import Aggregation

IN_WINDOW = """
base AS (
    SELECT practice_id, period, value::float8 AS x, numerator::float8 AS num,
           denominator::float8 AS den
    FROM {values}
    WHERE program_id = %(program)s AND definition_id = %(definition)s
      AND period >= %(start)s AND period <= %(end)s
),"""

# Each practice's latest value carried forward to the window's periods: the values of the
# window and each practice's last one before it, laid on a practice x period grid; a run is
# a value and the empty cells after it.
CARRIED = """
known AS (
    SELECT practice_id, period, value, numerator, denominator FROM {values}
    WHERE program_id = %(program)s AND definition_id = %(definition)s
      AND period >= %(start)s AND period <= %(end)s
    UNION ALL
    SELECT * FROM (
        SELECT DISTINCT ON (practice_id) practice_id, period, value, numerator, denominator
        FROM {values}
        WHERE program_id = %(program)s AND definition_id = %(definition)s
          AND period < %(start)s
        ORDER BY practice_id, period DESC
    ) before
),
cells AS (
    SELECT kept.practice_id, grid.period, known.value, known.numerator, known.denominator
    FROM (SELECT DISTINCT practice_id FROM known) kept
    CROSS JOIN unnest(%(periods)s::date[]) AS grid(period)
    LEFT JOIN known ON known.practice_id = kept.practice_id AND known.period = grid.period
    UNION ALL
    SELECT practice_id, period, value, numerator, denominator FROM known
    WHERE period < %(start)s
),
runs AS (
    SELECT *, COUNT(value) OVER (PARTITION BY practice_id ORDER BY period) AS run FROM cells
),
base AS (
    SELECT * FROM (
        SELECT practice_id, period,
               (FIRST_VALUE(value) OVER run_window)::float8 AS x,
               (FIRST_VALUE(numerator) OVER run_window)::float8 AS num,
               (FIRST_VALUE(denominator) OVER run_window)::float8 AS den
        FROM runs
        WINDOW run_window AS (PARTITION BY practice_id, run ORDER BY period)
    ) carried
    WHERE period >= %(start)s AND x IS NOT NULL
),"""

GROUPED = """
WITH {base}
coach AS (
    SELECT DISTINCT ON (practice_id) practice_id, coach_id::text AS coach
    FROM {assignments}
    WHERE program_id = %(program)s AND is_primary
    ORDER BY practice_id, assigned_at DESC, id DESC
),
facts AS (
    SELECT b.period, b.x, b.num, b.den, p.sector, p.region, p.stage, c.coach,
           CASE %(direction)s
               WHEN 'higher' THEN b.x >= COALESCE(t.target::float8, %(target)s)
               WHEN 'lower' THEN b.x <= COALESCE(t.target::float8, %(target)s)
           END AS met
    FROM base b
    JOIN {practices} p ON p.id = b.practice_id
    LEFT JOIN coach c ON c.practice_id = b.practice_id
    LEFT JOIN {targets} t ON t.program_id = %(program)s AND t.definition_id = %(definition)s
                         AND t.practice_id = b.practice_id
    WHERE %(sector)s = '' OR p.sector = %(sector)s
),
stats AS (
    SELECT period,
           CASE GROUPING(sector, region, coach, stage)
               WHEN 15 THEN 'all' WHEN 7 THEN 'sector' WHEN 11 THEN 'region'
               WHEN 13 THEN 'coach' ELSE 'stage'
           END AS breakdown,
           COALESCE(sector, region, coach, stage, '') AS group_key,
           COUNT(*) AS practices, SUM(x) AS total, AVG(x) AS mean, MIN(x) AS lowest,
           MAX(x) AS highest,
           percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x) AS quartiles,
           SUM(COALESCE(num, 0)) FILTER (WHERE den IS NOT NULL) AS num,
           SUM(den) AS den, COUNT(*) FILTER (WHERE met) AS on_target
    FROM facts
    GROUP BY GROUPING SETS ((period), (period, sector), (period, region), (period, coach),
                           (period, stage))
    HAVING GROUPING(sector, region, coach, stage) = 15 OR
           COALESCE(sector, region, coach, stage, '') <> ''
),
sets AS (
    SELECT period, 'all' AS breakdown, '' AS group_key, x FROM facts
    UNION ALL SELECT period, 'sector', sector, x FROM facts
    UNION ALL SELECT period, 'region', region, x FROM facts WHERE region <> ''
    UNION ALL SELECT period, 'coach', coach, x FROM facts WHERE coach IS NOT NULL
    UNION ALL SELECT period, 'stage', stage, x FROM facts
),
bins AS (
    SELECT s.period, s.breakdown, s.group_key,
           CASE WHEN st.highest = st.lowest THEN 0
                ELSE LEAST(FLOOR((s.x - st.lowest) / (st.highest - st.lowest) * {bins})::int,
                           {bins} - 1)
           END AS bin,
           COUNT(*) AS counted
    FROM sets s JOIN stats st USING (period, breakdown, group_key)
    GROUP BY 1, 2, 3, 4
),
histograms AS (
    SELECT period, breakdown, group_key, array_agg(bin) AS bins, array_agg(counted) AS counts
    FROM bins GROUP BY 1, 2, 3
)
SELECT st.period, st.breakdown, st.group_key, st.practices, st.total, st.mean, st.lowest,
       st.highest, st.quartiles, st.num, st.den, st.on_target, h.bins, h.counts
FROM stats st JOIN histograms h USING (period, breakdown, group_key)
"""


def summary_rows(program, definition, periods: list[date]) -> list[dict]:
    latest = definition.aggregation == Aggregation.LATEST
    sql = GROUPED.format(
        base=(CARRIED if latest else IN_WINDOW).format(values=KpiValue._meta.db_table),
        assignments=CoachAssignment._meta.db_table,
        practices=Practice._meta.db_table,
        targets=KpiPracticeTarget._meta.db_table,
        bins=BINS,
    )
    target = None if definition.target is None else float(definition.target)
    params = {
        "program": program.pk,
        "definition": definition.pk,
        "start": periods[0],
        "end": periods[-1],
        "periods": list(periods),
        "direction": definition.direction,
        "target": target,
        "sector": definition.sector or "",
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # No JIT: past 10,000 practices the plan's estimated cost crosses PostgreSQL's JIT
        # thresholds, and compiling this statement's hundred expressions took 4.4 s of its
        # 16 s, each time (0 s at 1,000 practices, where the estimate stays under them).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return [_figures(row, definition.aggregation) for row in cursor.fetchall()]


def _figures(row, aggregation: str) -> dict:
    (period, breakdown, group_key, practices, total, mean, lowest, highest, quartiles) = row[:9]
    numerator, denominator, on_target, bins, counts = row[9:]
    value, parts = mean, (None, None)
    if aggregation == Aggregation.SUM:
        value = total
    elif aggregation == Aggregation.MEDIAN:
        value = quartiles[1]
    elif aggregation == Aggregation.RATIO and denominator is not None:
        value = numerator / denominator if denominator else None
        parts = (numerator, denominator)
    histogram = [0] * BINS
    for index, count in zip(bins, counts, strict=True):
        histogram[index] = count
    return {
        "period": period,
        "breakdown": breakdown,
        "group_key": group_key,
        "practices": practices,
        "value": to_decimal(value),
        "numerator": to_decimal(parts[0]),
        "denominator": to_decimal(parts[1]),
        "minimum": to_decimal(lowest),
        "p25": to_decimal(quartiles[0]),
        "median": to_decimal(quartiles[1]),
        "p75": to_decimal(quartiles[2]),
        "maximum": to_decimal(highest),
        "on_target": on_target,
        "histogram": histogram,
    }
