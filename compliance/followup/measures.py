"""Compliance as KPI measures (psp/measures), per practice and month:

- completion on time: of the checklists due in the month, the percent signed off by their due
  date (counted once the due date has passed, or once signed on time, so the month under way is
  not marked down for checklists that still have days left);
- items failed: items answered "not met" in the checklists due in the month;
- open remediation actions: actions made from failed items and not done at the month's end
  (today, for the month under way); dropped ones are not counted;
- days overdue: the mean days overdue of the checklists overdue at the month's end (not signed
  off by then) and of those signed off late in the month (by how late).

A period's checklist is counted once, as first signed: a correction made later (a new revision)
neither changes when it was signed off nor counts again. Signed off is the day of the last
signature, in the program's time zone, as signed. Each measure costs one or two queries.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coaching.actions.models import ActionStatus
from compliance.instances.models import ChecklistInstance, InstanceStatus, ItemOutcome, ItemResponse
from psp.measures.periods import (
    Months,
    for_practices,
    month_end_instant,
    month_last_day,
    plain,
    program_compute,
    ratio,
)
from psp.measures.registry import Aggregation, Direction, Measure, Unit

PERCENT = 100


def _firsts(**when):
    """(practice, due date, signed on) of each period's first revision. One query."""
    return ChecklistInstance.objects.filter(revision=1, **when).values_list(
        "practice_id", "due_on", "signed_on"
    )


def _month(day: date) -> date:
    return day.replace(day=1)


@program_compute
def on_time_compute(program, *, months: Months, practice_ids, today: date | None = None):
    """Per practice and month of the due date: 100 × signed on time / counted."""
    today = today or timezone.localdate()
    rows = _firsts(due_on__gte=months.first_day, due_on__lte=months.last_day)
    counts = defaultdict(lambda: [0, 0])  # (practice, month) -> [on time, counted]
    for practice_id, due_on, signed_on in for_practices(rows, practice_ids):
        on_time = signed_on is not None and signed_on <= due_on
        if on_time or due_on < today:
            count = counts[practice_id, _month(due_on)]
            count[0] += on_time
            count[1] += 1
    return [
        ratio(practice_id, month, PERCENT * on_time, counted)
        for (practice_id, month), (on_time, counted) in counts.items()
    ]


@program_compute
def items_failed_compute(program, *, months: Months, practice_ids, today: date | None = None):
    """Per practice and month with checklists due (to today): failed items. Two queries."""
    today = today or timezone.localdate()
    last = min(months.last_day, today)
    due = for_practices(
        ChecklistInstance.objects.filter(due_on__gte=months.first_day, due_on__lte=last).exclude(
            status=InstanceStatus.SUPERSEDED
        ),
        practice_ids,
    )
    found = {
        (row["practice_id"], row["month"]): 0
        for row in due.annotate(month=TruncMonth("due_on"))
        .values("practice_id", "month")
        .distinct()
        .order_by()
    }
    failed = (
        ItemResponse.objects.filter(instance__in=due, outcome=ItemOutcome.FAILED)
        .annotate(month=TruncMonth("instance__due_on"))
        .values("instance__practice_id", "month")
        .annotate(failed=Count("pk"))
        .order_by()
    )
    for row in failed:
        found[row["instance__practice_id"], row["month"]] = row["failed"]
    return [plain(practice_id, month, n) for (practice_id, month), n in found.items()]


@program_compute
def open_actions_compute(program, *, months: Months, practice_ids, today: date | None = None):
    """Per practice with checklists, each month from its first: remediation actions open at the
    month's end. Two queries."""
    today = today or timezone.localdate()
    today_ends = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    firsts = dict(
        for_practices(ChecklistInstance.objects.all(), practice_ids)
        .values("practice_id")
        .annotate(first=Min("opens_on"))
        .order_by()
        .values_list("practice_id", "first")
    )
    actions = defaultdict(list)
    rows = for_practices(
        ItemResponse.objects.filter(action__isnull=False), practice_ids, "instance__practice_id"
    ).values_list(
        "instance__practice_id", "action__created_at", "action__status", "action__completed_at"
    )
    for practice_id, created_at, status, completed_at in rows:
        if status != ActionStatus.DROPPED:
            actions[practice_id].append((created_at, completed_at if status == "done" else None))
    values = []
    for practice_id, first in firsts.items():
        for month in months:
            if month < _month(first) or month > today:
                continue
            end = min(month_end_instant(month), today_ends)
            open_then = sum(
                1
                for created_at, done_at in actions[practice_id]
                if created_at < end and (done_at is None or done_at >= end)
            )
            values.append(plain(practice_id, month, open_then))
    return values


@program_compute
def days_overdue_compute(program, *, months: Months, practice_ids, today: date | None = None):
    """Per practice and month: days overdue summed / checklists overdue at its end or signed
    late in it. One query."""
    today = today or timezone.localdate()
    rows = _firsts(due_on__lt=min(months.last_day, today))
    rows = for_practices(rows.filter(Q(signed_on=None) | Q(signed_on__gte=months.first_day)),
                         practice_ids)  # fmt: skip
    sums = defaultdict(lambda: [0, 0])  # (practice, month) -> [days, checklists]
    ends = {m: min(month_last_day(m), today) for m in months if m <= today}
    for practice_id, due_on, signed_on in rows:
        for month, end in ends.items():
            late = _days_late(due_on, signed_on, month, end)
            if late:
                sums[practice_id, month][0] += late
                sums[practice_id, month][1] += 1
    return [
        ratio(practice_id, month, days, counted)
        for (practice_id, month), (days, counted) in sums.items()
    ]


def _days_late(due_on: date, signed_on: date | None, month: date, end: date) -> int:
    """How overdue the checklist counts in `month` (ending on `end`): unsigned at the end, the
    days from its due date to the end; signed late within the month, by how many days."""
    if due_on < end and (signed_on is None or signed_on > end):
        return (end - due_on).days
    if signed_on is not None and month <= signed_on <= end and signed_on > due_on:
        return (signed_on - due_on).days
    return 0


SOURCES = ("compliance.ChecklistInstance", "compliance.Attestation")
MEASURES = [
    Measure(
        code="compliance-on-time",
        name="Checklists signed off on time",
        description="Percent of the practice's checklists due in the month (once due) that were "
        "signed off by their due date.",
        unit=Unit.PERCENT,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=on_time_compute,
        app="compliance",
        group="Compliance",
        sources=SOURCES,
    ),
    Measure(
        code="compliance-items-failed",
        name="Checklist items failed",
        description="Items answered “not met” in the practice's checklists due in the month.",
        unit=Unit.COUNT,
        direction=Direction.LOWER,
        aggregation=Aggregation.SUM,
        compute=items_failed_compute,
        app="compliance",
        group="Compliance",
        sources=("compliance.ChecklistInstance", "compliance.ItemResponse"),
    ),
    Measure(
        code="compliance-open-remediation",
        name="Open remediation actions",
        description="Actions made from failed checklist items that were not done at the month's "
        "end (dropped ones not counted).",
        unit=Unit.COUNT,
        direction=Direction.LOWER,
        aggregation=Aggregation.MEAN,
        compute=open_actions_compute,
        app="compliance",
        group="Compliance",
        sources=("compliance.ItemResponse", "coaching.PlanAction"),
    ),
    Measure(
        code="compliance-days-overdue",
        name="Days checklists were overdue",
        description="Mean days overdue of the practice's checklists not signed off at the "
        "month's end past their due date, and of those signed off late in the month.",
        unit=Unit.DAYS,
        direction=Direction.LOWER,
        aggregation=Aggregation.RATIO,
        compute=days_overdue_compute,
        app="compliance",
        group="Compliance",
        sources=SOURCES,
    ),
]
