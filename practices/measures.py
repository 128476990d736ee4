"""Time in each enrolment stage as KPI measures (registered here, found at start-up by
kpis/apps.py), one per stage: for each practice in the stage at a month's end, the days it had
been in it by then (by today, in the current month).

A manager reads "days in pilot" for a month as how long the practices then in pilot had been
there: a practice stuck in a stage shows, month after month, rather than only once it leaves.
The time since the practice last entered the stage counts, read from its stage history
(StageChange): a move into the stage starts the count, by the day it was made. Before its first
recorded move a practice was in that move's "from" stage since it enrolled (the enrolment day,
or the move's if that was earlier); a practice with no stage history has been in its current
stage since `stage_changed_at`. No value for a month that ended before the practice's first day
in any stage, nor for one not yet begun.
"""

from collections import defaultdict
from datetime import date

from django.utils import timezone

from practices.models import Practice, Stage, StageChange
from psp.measures.periods import Months, for_practices, month_last_day, plain, program_compute
from psp.measures.registry import Aggregation, Direction, Measure, Unit, register_measure

# Practices are meant to stay in these stages: time in them is neither good nor bad.
LASTING_STAGES = {Stage.MONITORING, Stage.SUSTAINABILITY}


def _timelines(practice_ids) -> dict[int, list[tuple[date, str]]]:
    """Practice -> [(first day, stage)], in order, each a different stage from the one before.
    Two queries."""
    moves = defaultdict(list)
    changes = for_practices(StageChange.objects.all(), practice_ids)
    for row in changes.values("practice_id", "from_stage", "to_stage", "moved_at").order_by(
        "practice_id", "moved_at", "pk"
    ):
        moves[row["practice_id"]].append(row)
    practices = for_practices(Practice.objects.all(), practice_ids, "pk").values(
        "pk", "stage", "stage_changed_at", "enrolled_on"
    )
    timelines = {}
    for practice in practices.order_by():
        own = moves.get(practice["pk"])
        if not own:
            timelines[practice["pk"]] = [
                (timezone.localdate(practice["stage_changed_at"]), practice["stage"])
            ]
            continue
        steps = [(timezone.localdate(move["moved_at"]), move["to_stage"]) for move in own]
        # Enrolled no later than its first move, whatever enrolled_on says (data loaded in bulk).
        enrolled = min(practice["enrolled_on"], steps[0][0])
        steps.insert(0, (enrolled, own[0]["from_stage"] or own[0]["to_stage"]))
        timelines[practice["pk"]] = _merged(steps)
    return timelines


def _merged(steps: list[tuple[date, str]]) -> list[tuple[date, str]]:
    """Consecutive steps into the same stage are one stay, from the first of them."""
    merged = []
    for day, stage in steps:
        if not merged or merged[-1][1] != stage:
            merged.append((day, stage))
    return merged


def _stage_at(timeline: list[tuple[date, str]], day: date) -> tuple[date, str] | None:
    """The stay the practice was in at the end of `day` (the last one begun by then)."""
    current = None
    for step in timeline:
        if step[0] > day:
            break
        current = step
    return current


def days_in_stage_compute(stage: str):
    @program_compute
    def compute(program, *, months: Months, practice_ids, today: date | None = None):
        """Per practice in the stage at a month's end: the days since it entered it."""
        today = today or timezone.localdate()
        values = []
        for practice_id, timeline in _timelines(practice_ids).items():
            for month in months:
                if month > today:
                    break
                end = min(month_last_day(month), today)
                stay = _stage_at(timeline, end)
                if stay is not None and stay[1] == stage:
                    values.append(plain(practice_id, month, (end - stay[0]).days))
        return values

    return compute


MEASURES = [
    Measure(
        code=f"days-in-stage-{value.replace('_', '-')}",
        name=f"Days in stage: {label}",
        description=f"For a practice in “{label}” at the end of the month, the days since it "
        "entered that stage (to today in the current month).",
        unit=Unit.DAYS,
        direction=Direction.NEUTRAL if value in LASTING_STAGES else Direction.LOWER,
        aggregation=Aggregation.MEAN,
        compute=days_in_stage_compute(value),
        app="practices",
        group="Enrolment stages",
        sources=("practices.Practice", "practices.StageChange"),
    )
    for value, label in Stage.choices
]

for measure in MEASURES:
    register_measure(measure)
