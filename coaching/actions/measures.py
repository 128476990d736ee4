"""Actions done on time as a KPI measure: of the actions due in a month, the percent done by their
due date.

An action counts in the month of its due date once that date has passed (today counts as not
yet passed) or once it is done on time, so the current month is not marked down for actions
that still have days left. Done on time: its status is done and it was completed (the day, in the
program's time zone) on or before its due date. Dropped actions and actions with no due date
never count.
"""

from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coaching.actions.models import ActionStatus, PlanAction
from psp.measures.periods import Months, for_practices, program_compute, ratio
from psp.measures.registry import Aggregation, Direction, Measure, Unit

PERCENT = 100


@program_compute
def actions_on_time_compute(program, *, months: Months, practice_ids, today: date | None = None):
    """Per practice and month of the due date: 100 × done on time / counted. One query."""
    today = today or timezone.localdate()
    on_time = Q(status=ActionStatus.DONE, completed_at__date__lte=F("due_on"))
    actions = PlanAction.objects.filter(
        due_on__gte=months.first_day, due_on__lte=months.last_day
    ).exclude(status=ActionStatus.DROPPED)
    rows = (
        for_practices(actions, practice_ids)
        .annotate(month=TruncMonth("due_on"))
        .values("practice_id", "month")
        .annotate(
            on_time=Count("pk", filter=on_time),
            counted=Count("pk", filter=on_time | Q(due_on__lt=today)),
        )
        .order_by()
    )
    return [
        ratio(row["practice_id"], row["month"], PERCENT * row["on_time"], row["counted"])
        for row in rows
        if row["month"] in months and row["counted"]
    ]


MEASURES = [
    Measure(
        code="actions-on-time",
        name="Actions done on time",
        description="Percent of the actions due in the month (once due) that were done by their "
        "due date; dropped actions not counted.",
        unit=Unit.PERCENT,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=actions_on_time_compute,
        app="coaching",
        group="Support plans",
        sources=("coaching.PlanAction",),
    )
]
