"""The dashboards' stored marks: interventions per month (plans activated, PDSA cycles started,
visits) for the whole program and for each sector, region, primary coach and stage, the same
groups as the KPI summaries. Rebuilt by every refresh for its window, so the dashboard reads a
few dozen rows rather than counting a program's visits on each request.

Each source gives its counts per practice and month in one grouped query (the visits from the
dose summary, not the visits themselves); the roll-up into groups is done here, in one pass."""

from collections import defaultdict
from datetime import date

from django.db import transaction

from kpis.dashboard.annotations import ANNOTATION_SOURCES, month_end
from kpis.models import Breakdown, KpiMark
from kpis.refresh.summaries import Grouping


def marks_rebuild(program, *, months: list[date], groups: dict[int, Grouping]) -> int:
    """Replace the marks of `months` (first days). Returns how many rows were written."""
    if not months:
        return 0
    first, last = min(months), max(months)
    totals: dict[tuple, int] = defaultdict(int)
    for source in ANNOTATION_SOURCES:
        for practice_id, month, count in source.by_practice(first, month_end(last)):
            grouping = groups.get(practice_id)
            # A practice gone since the counts were read still counts for the program.
            places = grouping.memberships() if grouping else [(Breakdown.ALL, "")]
            for breakdown, key in places:
                totals[(source.key, month, breakdown, key)] += count
    rows = [
        KpiMark(
            program=program, source=source, month=month, breakdown=breakdown, group_key=key,
            count=count,
        )
        for (source, month, breakdown, key), count in totals.items()
    ]  # fmt: skip
    with transaction.atomic():  # a dashboard reads the old marks or the new, never none
        KpiMark.objects.filter(month__gte=first, month__lte=last).delete()
        KpiMark.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
