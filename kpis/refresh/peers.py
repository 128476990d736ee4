"""Peer percentiles: each KPI value's standing (0-100, better is higher whatever the KPI's
direction) among the values of the same period from practices of the same sector, left empty
when fewer practices than the program's peer minimum have one, so no peer can be worked out.

PostgreSQL ranks with window functions in one UPDATE per KPI that touches only the rows whose
percentile changed; other databases (SQLite in the embedded mode) rank in Python with the
same arithmetic (stats.percentile) and write the changed rows in bulk."""

from collections import defaultdict
from datetime import date

from django.db import connection

from kpis.models import KpiValue
from kpis.refresh.stats import percentiles
from practices.models import Practice
from psp.measures.registry import Direction

WRITE_BATCH = 2000

RANKED = """
WITH ranked AS (
    SELECT v.id,
           COUNT(*) OVER (PARTITION BY v.period, p.sector) AS peers,
           RANK() OVER (PARTITION BY v.period, p.sector ORDER BY v.value {order}) - 1 AS below,
           COUNT(*) OVER (PARTITION BY v.period, p.sector, v.value) AS equal
    FROM {values} v JOIN {practices} p ON p.id = v.practice_id
    WHERE v.program_id = %(program)s AND v.definition_id = %(definition)s
      AND v.period >= %(start)s AND v.period <= %(end)s
), placed AS (
    SELECT id, peers,
           CASE WHEN peers < %(minimum)s THEN NULL
                WHEN peers = 1 THEN 50
                ELSE (200 * below + 100 * (equal - 1) + (peers - 1)) / (2 * (peers - 1))
           END AS percentile
    FROM ranked
)
UPDATE {values} v SET peer_percentile = placed.percentile, peer_count = placed.peers
FROM placed
WHERE v.id = placed.id
  AND (v.peer_percentile IS DISTINCT FROM placed.percentile OR v.peer_count <> placed.peers)
"""


def peers_rank(program, definition, *, periods: list[date], groups) -> int:
    """Write the percentiles of the definition's values in `periods`. Returns how many rows
    changed."""
    if connection.vendor == "postgresql":
        return _rank_in_sql(program, definition, periods)
    return _rank_in_python(program, definition, periods, groups)


def _rank_in_sql(program, definition, periods) -> int:
    order = "DESC" if definition.direction == Direction.LOWER else "ASC"
    sql = RANKED.format(
        order=order, values=KpiValue._meta.db_table, practices=Practice._meta.db_table
    )
    with connection.cursor() as cursor:
        # Three window partitions over a KPI's values sort in memory rather than on disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")  # as in summaries_sql: compiling costs seconds
        cursor.execute(
            sql,
            {
                "program": program.pk,
                "definition": definition.pk,
                "start": periods[0],
                "end": periods[-1],
                "minimum": program.peer_group_minimum,
            },
        )
        return cursor.rowcount


def _rank_in_python(program, definition, periods, groups) -> int:
    rows = KpiValue.objects.filter(
        definition=definition, period__gte=periods[0], period__lte=periods[-1]
    ).values_list("pk", "practice_id", "period", "value", "peer_percentile", "peer_count")
    peer_groups: dict[tuple, list[tuple]] = defaultdict(list)
    for row in rows:
        grouping = groups.get(row[1])
        peer_groups[(row[2], grouping.sector if grouping else "")].append(row)
    minimum = program.peer_group_minimum
    changed = []
    for members in peer_groups.values():
        count = len(members)
        placed = percentiles([float(row[3]) for row in members], definition.direction)
        for row, percentile in zip(members, placed, strict=True):
            percentile = None if count < minimum else percentile
            if row[4] != percentile or row[5] != count:
                changed.append(KpiValue(pk=row[0], peer_percentile=percentile, peer_count=count))
    KpiValue.objects.bulk_update(changed, ["peer_percentile", "peer_count"], batch_size=WRITE_BATCH)
    return len(changed)
