"""Where interventions happened, to mark on the dashboard's run charts.

Each source reads another app through its selectors and returns `Annotation`s for the filtered
practices and the period. `ANNOTATION_SOURCES` is the list the dashboard walks: a new kind of
intervention (PDSA cycles, from coaching) is one more function appended to it.
"""

from collections.abc import Callable
from datetime import date
from statistics import median

from django.db.models import QuerySet

from coaching.pdsa.selectors import cycles_started_by_month
from coaching.plans.selectors import plans_activated_by_month
from coaching.visits.selectors import logged_visits_by_month
from kpis.runcharts import Annotation

# A month of visits is a burst when it has at least this many times the period's typical
# (median) month, and at least BURST_MINIMUM visits: a quiet program's 2 against 1 is no burst.
BURST_FACTOR = 2
BURST_MINIMUM = 3

AnnotationSource = Callable[[QuerySet, date, date], list[Annotation]]


def _month_end(first_of_month: date) -> date:
    following = date(
        first_of_month.year + first_of_month.month // 12, first_of_month.month % 12 + 1, 1
    )
    return date.fromordinal(following.toordinal() - 1)


def plans_activated(practices: QuerySet, first: date, last: date) -> list[Annotation]:
    counts = plans_activated_by_month(practices=practices, first=first, last=_month_end(last))
    return [
        Annotation(month, f"{n} plan{'s' if n != 1 else ''} activated", "plan")
        for month, n in sorted(counts.items())
    ]


def visit_bursts(practices: QuerySet, first: date, last: date) -> list[Annotation]:
    counts = logged_visits_by_month(practices=practices, first=first, last=_month_end(last))
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


def pdsa_started(practices: QuerySet, first: date, last: date) -> list[Annotation]:
    counts = cycles_started_by_month(
        practice_ids=practices.values("pk"), date_from=first, date_to=_month_end(last)
    )
    return [
        Annotation(month, f"{n} PDSA cycle{'s' if n != 1 else ''} started", "pdsa")
        for month, n in sorted(counts.items())
    ]


ANNOTATION_SOURCES: list[AnnotationSource] = [plans_activated, pdsa_started, visit_bursts]


def annotations(*, practices: QuerySet, first: date, last: date) -> list[Annotation]:
    """Every source's annotations, by month then source."""
    found = [note for source in ANNOTATION_SOURCES for note in source(practices, first, last)]
    return sorted(found, key=lambda note: note.period)
