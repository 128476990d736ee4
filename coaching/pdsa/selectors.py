"""Reads of PDSA cycles: for their pages and the API (limited to the practices whose plans the
person may see), and for the KPI dashboards, which read coaching only through selectors: a
practice's cycles by KPI with their dates (run-chart marks) and the cycles started per month
over many practices (the program dashboard's annotations)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from coaching.pdsa.models import PdsaCycle
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW


def cycle_list(*, access) -> QuerySet[PdsaCycle]:
    """The cycles of the practices whose plans the person may see, with their goal and plan."""
    return (
        PdsaCycle.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("goal__plan", "practice")
        .order_by("goal", "number", "pk")
    )


def cycle_in_reach(*, access, pk) -> PdsaCycle:
    """One cycle the person may see, with its goal, plan and practice (else DoesNotExist, the
    same for a missing cycle and one out of reach)."""
    return cycle_list(access=access).select_related("previous", "created_by").get(pk=pk)


def cycles_in_reach(*, access) -> QuerySet[PdsaCycle]:
    """For looking up a cycle named in input (an adapted cycle's successor names it)."""
    return PdsaCycle.objects.filter(access.practice_filter(VIEW, "practice_id"))


def goal_cycles(*, goal_id) -> list[PdsaCycle]:
    return list(PdsaCycle.objects.filter(goal_id=goal_id).order_by("number", "pk"))


# For the KPI dashboards ------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleMark:
    """A cycle's dates for a run chart: when it started and, once it ended, when and how."""

    kpi_key: str
    number: int
    change_idea: str
    started_on: date
    ended_on: date | None
    decision: str  # "" while running; else its label, "Adopt", "Adapt", "Abandon"
    goal_id: int


def practice_cycle_marks(
    *, practice_id: int, kpi_keys: Collection[str] | None = None, since: date | None = None
) -> list[CycleMark]:
    """The started cycles of one practice watching a KPI (any KPI, or those of `kpi_keys`),
    oldest first, with their start and end dates. One query."""
    cycles = PdsaCycle.objects.filter(practice_id=practice_id, started_on__isnull=False)
    cycles = cycles.exclude(kpi_key="")
    if kpi_keys is not None:
        cycles = cycles.filter(kpi_key__in=list(kpi_keys))
    if since is not None:
        cycles = cycles.exclude(ended_on__lt=since)
    return [
        CycleMark(
            kpi_key=cycle.kpi_key,
            number=cycle.number,
            change_idea=cycle.change_idea,
            started_on=cycle.started_on,
            ended_on=cycle.ended_on,
            decision=cycle.get_decision_display() if cycle.decision else "",
            goal_id=cycle.goal_id,
        )
        for cycle in cycles.order_by("started_on", "pk")
    ]


def cycles_started_by_month(
    *, practice_ids: Collection[int] | QuerySet | None, date_from: date, date_to: date
) -> dict[date, int]:
    """{first day of month: cycles started that month} over the practices (None: every
    practice of the program in scope), months without any left out. One grouped query."""
    cycles = PdsaCycle.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
    if practice_ids is not None:
        cycles = cycles.filter(practice_id__in=practice_ids)
    rows = (
        cycles.annotate(month=TruncMonth("started_on"))
        .values("month")
        .annotate(started=Count("*"))
        .order_by("month")
    )
    return {_as_date(row["month"]): row["started"] for row in rows}


def cycles_started_by_practice_month(*, date_from: date, date_to: date) -> list[tuple]:
    """(practice id, month's first day, cycles started that month) over every practice of the
    program in scope: what the KPI refresh rolls up into the dashboards' stored marks."""
    rows = (
        PdsaCycle.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
        .annotate(month=TruncMonth("started_on"))
        .values_list("practice_id", "month")
        .annotate(started=Count("*"))
        .order_by()
    )
    return [(practice_id, _as_date(month), n) for practice_id, month, n in rows]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
