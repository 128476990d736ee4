"""Where interventions happened, to mark on the dashboard's run charts.

Each source counts interventions per month, read from another app through its selectors, and
says how its counts read as annotations. `ANNOTATION_SOURCES` is the list the dashboard walks: a
new kind of intervention is one more source appended to it.

Counts come two ways. For the whole program or one group (a sector, region, coach or stage: the
groups the KPI summaries hold) the refresh job has stored them per month (`KpiMark`,
kpis/refresh/marks.py), so the page reads a few dozen rows whatever the number of visits. Two
filters together name a group nothing stores; the counts are then made live for the filtered
practices (`by_month`), as the KPI figures are.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import QuerySet

from coaching.dose.selectors import logged_visits_by_practice_month
from coaching.pdsa.selectors import cycles_started_by_month, cycles_started_by_practice_month
from coaching.plans.selectors import plans_activated_by_month, plans_activated_by_practice_month
from coaching.visits.selectors import logged_visits_by_month
from kpis.models import KpiMark
from kpis.runcharts import Annotation

# A month of visits is a burst when it has at least this many times the period's typical
# (median) month, and at least BURST_MINIMUM visits: a quiet program's 2 against 1 is no burst.
BURST_FACTOR = 2
BURST_MINIMUM = 3


@dataclass(frozen=True)
class AnnotationSource:
    key: str
    # (first, last) -> [(practice id, month, count)] over the program: for the refresh job.
    by_practice: Callable[[date, date], list[tuple]]
    # (practices, first, last) -> {month: count}: live, for combined filters.
    by_month: Callable[[QuerySet, date, date], dict[date, int]]
    # ({month: count}, first, last) -> the annotations.
    notes: Callable[[dict[date, int], date, date], list[Annotation]]


def month_end(first_of_month: date) -> date:
    following = date(
        first_of_month.year + first_of_month.month // 12, first_of_month.month % 12 + 1, 1
    )
    return date.fromordinal(following.toordinal() - 1)


def _plans_notes(counts: dict, first: date, last: date) -> list[Annotation]:
    return [
        Annotation(month, f"{n} plan{'s' if n != 1 else ''} activated", "plan")
        for month, n in sorted(counts.items())
    ]


def _pdsa_notes(counts: dict, first: date, last: date) -> list[Annotation]:
    return [
        Annotation(month, f"{n} PDSA cycle{'s' if n != 1 else ''} started", "pdsa")
        for month, n in sorted(counts.items())
    ]


def _burst_notes(counts: dict, first: date, last: date) -> list[Annotation]:
    if not counts:
        return []
    months = 12 * (last.year - first.year) + last.month - first.month + 1
    typical = median(list(counts.values()) + [0] * max(months - len(counts), 0))
    threshold = max(BURST_FACTOR * typical, BURST_MINIMUM)
    return [
        Annotation(month, f"Burst of visits: {n} in the month", "visits")
        for month, n in sorted(counts.items())
        if n >= threshold
    ]


ANNOTATION_SOURCES: list[AnnotationSource] = [
    AnnotationSource(
        "plan",
        lambda first, last: plans_activated_by_practice_month(first=first, last=last),
        lambda practices, first, last: plans_activated_by_month(
            practices=practices, first=first, last=last
        ),
        _plans_notes,
    ),
    AnnotationSource(
        "pdsa",
        lambda first, last: cycles_started_by_practice_month(date_from=first, date_to=last),
        lambda practices, first, last: cycles_started_by_month(
            practice_ids=practices.values("pk"), date_from=first, date_to=last
        ),
        _pdsa_notes,
    ),
    AnnotationSource(
        "visits",
        lambda first, last: logged_visits_by_practice_month(first=first, last=last),
        lambda practices, first, last: logged_visits_by_month(
            practices=practices, first=first, last=last
        ),
        _burst_notes,
    ),
]


def annotations(
    *, practices: QuerySet, first: date, last: date, group: tuple[str, str] | None
) -> list[Annotation]:
    """Every source's annotations for the months `first` to `last` (first days), by month then
    source: from the stored marks of `group` (breakdown, key), or live for `practices` when
    no group is stored (None)."""
    stored = _stored_counts(group, first, last) if group is not None else None
    found = []
    for source in ANNOTATION_SOURCES:
        if stored is not None:
            counts = stored.get(source.key, {})
        else:
            counts = source.by_month(practices, first, month_end(last))
        found += source.notes(counts, first, last)
    return sorted(found, key=lambda note: note.period)


def _stored_counts(group: tuple[str, str], first: date, last: date) -> dict[str, dict]:
    breakdown, key = group
    rows = KpiMark.objects.filter(
        breakdown=breakdown, group_key=key, month__gte=first, month__lte=last
    ).values_list("source", "month", "count")
    counts: dict[str, dict] = {}
    for source, month, count in rows:
        counts.setdefault(source, {})[month] = count
    return counts
