"""Plan goals achieved as a KPI measure: of the goals of a practice's accepted plans, the percent
achieved by the end of each month.

A goal counts from the later of its plan's acceptance (its creation, for a plan written without
an acceptance time) and the goal's addition (its "goal.added" history line) until it is dropped;
goals of drafts never count (they cannot be achieved yet).
Its status at a month's end is read from the plan's history (psp/history): the "after" of its
last status change before the month ended; before its first change, that change's "before";
with no change recorded at all (goals written in bulk, as the demo does), its status today.
"""

from collections import defaultdict
from datetime import datetime

from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus
from psp.history.models import ChangeRecord, RecordType
from psp.measures.periods import Months, for_practices, month_end_instant, program_compute, ratio
from psp.measures.registry import Aggregation, Direction, Measure, Unit

PERCENT = 100


def _goals(practice_ids):
    goals = PlanGoal.objects.filter(plan__status__in=[PlanStatus.ACTIVE, PlanStatus.COMPLETED])
    return for_practices(goals, practice_ids, "plan__practice_id").order_by()


def _histories(goals) -> dict[int, dict]:
    """Goal id -> {"added": when, "changes": [(when, before, after)] in order}."""
    lines = (
        ChangeRecord.objects.filter(record_type=RecordType.GOAL, record_id__in=goals.values("pk"))
        .filter(what__in=["goal.added", "goal.edited"])
        .values("record_id", "what", "changes", "changed_at")
        .order_by("changed_at", "pk")
    )
    histories = defaultdict(lambda: {"added": None, "changes": []})
    for line in lines:
        history = histories[line["record_id"]]
        if line["what"] == "goal.added":
            history["added"] = line["changed_at"]
        elif "status" in (line["changes"] or {}):
            before, after = line["changes"]["status"]
            history["changes"].append((line["changed_at"], before, after))
    return histories


def _status_at(end: datetime, current: str, changes: list) -> str:
    earlier = [after for when, _before, after in changes if when < end]
    if earlier:
        return earlier[-1]
    return changes[0][1] if changes else current


@program_compute
def goals_achieved_compute(program, *, months: Months, practice_ids):
    """Per practice and month: 100 × goals achieved / goals counted. Two queries: the goals
    with their plans, and their additions and status changes."""
    goals = _goals(practice_ids)
    histories = _histories(goals)
    goals = goals.values(
        "pk", "status", "plan__practice_id", "plan__accepted_at", "plan__created_at"
    )
    ends = [(month, month_end_instant(month)) for month in months]
    counts = defaultdict(lambda: [0, 0])  # (practice, month) -> [achieved, counted]
    for goal in goals:
        history = histories.get(goal["pk"], {"added": None, "changes": []})
        start = goal["plan__accepted_at"] or goal["plan__created_at"]
        if history["added"] is not None:
            start = max(start, history["added"])
        for month, end in ends:
            if start >= end:
                continue
            status = _status_at(end, goal["status"], history["changes"])
            if status == GoalStatus.DROPPED:
                continue
            count = counts[goal["plan__practice_id"], month]
            count[0] += status == GoalStatus.ACHIEVED
            count[1] += 1
    return [
        ratio(practice_id, month, PERCENT * achieved, counted)
        for (practice_id, month), (achieved, counted) in counts.items()
    ]


MEASURES = [
    Measure(
        code="plan-goals-achieved",
        name="Plan goals achieved",
        description="Percent of the goals of the practice's accepted support plans achieved by "
        "the end of the month (dropped goals not counted).",
        unit=Unit.PERCENT,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=goals_achieved_compute,
        app="coaching",
        group="Support plans",
        sources=("coaching.SupportPlan", "coaching.PlanGoal"),
    )
]
