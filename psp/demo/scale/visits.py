"""Two years of coaching visits per practice: logged ones with their minutes by activity, a
planned one ahead for most practices, a cancelled one for some, and feedback on a tenth."""

from datetime import time, timedelta

from coaching.feedback.models import FeedbackResponse
from coaching.models import Activity, Visit, VisitActivity, VisitMode, VisitStatus
from psp.demo.scale.context import ScaleContext, at
from psp.demo.scale.writer import Table

ACTIVITIES = list(Activity.values)
MODES = [VisitMode.ON_SITE, VisitMode.VIRTUAL, VisitMode.PHONE, VisitMode.EMAIL]
MODE_WEIGHTS = [55, 30, 10, 5]
TRAVEL = {VisitMode.ON_SITE: (15, 90)}
DURATIONS = [30, 45, 60, 60, 90, 120]
# How long each practice has gone without a visit: most are current, some need attention, a
# few have stalled, so the caseload shows every status.
QUIET = [(0, 20, 70), (25, 60, 20), (61, 150, 10)]


class VisitTables:
    def __init__(self):
        self.visits = Table(
            Visit,
            [
                "practice_id",
                "coach_id",
                "status",
                "visit_date",
                "start_time",
                "mode",
                "duration_minutes",
                "travel_minutes",
                "purpose",
                "logged_at",
                "cancel_reason",
                "cancelled_at",
                "cancelled_by_id",
                "created_at",
                "created_by_id",
            ],
            copy=True,
        )
        self.activities = Table(VisitActivity, ["visit_id", "activity", "minutes"], copy=True)
        self.feedback = Table(
            FeedbackResponse,
            ["visit_id", "usefulness", "would_recommend", "submitted_on"],
            copy=True,
        )


def visits_build(ctx: ScaleContext, tables: VisitTables, indexes: range) -> None:
    visits, activities, feedback = [], [], []
    for i in indexes:
        _practice_visits(ctx, i, visits, activities, feedback)
    ids = tables.visits.ids(len(visits))
    ctx.counts["visits"] += tables.visits.write(ids, visits)
    # Children name their visit by its position in this chunk until the ids are known.
    rows = [(ids[pos], activity, minutes) for pos, activity, minutes in activities]
    ctx.counts["visit activities"] += tables.activities.write(
        tables.activities.ids(len(rows)), rows
    )
    rows = [(ids[pos], *rest) for pos, *rest in feedback]
    ctx.counts["feedback responses"] += tables.feedback.write(tables.feedback.ids(len(rows)), rows)


def _practice_visits(ctx, i, visits, activities, feedback) -> None:
    spec = ctx.spec
    rng = spec.rng("visits", i)
    practice_id, coach_id = ctx.practice_ids[i], ctx.coach_id(i)
    low, high, _ = rng.choices(QUIET, [w for *_, w in QUIET])[0]
    last = spec.today - timedelta(days=rng.randint(low, high))
    first = max(ctx.enrolled[i] + timedelta(days=7), spec.start)
    span = max((last - first).days, 1)
    days = sorted(rng.randint(0, span) for _ in range(spec.logged_visits(i)))
    if days:
        days[-1] = span  # the last visit is the one that sets the days without a visit
    for offset in days:
        day = first + timedelta(days=offset)
        mode = rng.choices(MODES, MODE_WEIGHTS)[0]
        duration = rng.choice(DURATIONS)
        low, high = TRAVEL.get(mode, (0, 0))
        pos = len(visits)
        visits.append(
            (
                practice_id,
                coach_id,
                VisitStatus.LOGGED,
                day,
                time(rng.randint(8, 15)),
                mode,
                duration,
                rng.randint(low, high),
                "",
                at(day, 17),
                "",
                None,
                None,
                at(day, 17),
                coach_id,
            )
        )
        _minutes(rng, pos, duration, activities)
        if rng.random() < 0.1:
            answered = min(day + timedelta(days=rng.randint(0, 5)), spec.today)
            feedback.append((pos, rng.choice([3, 4, 4, 5, 5]), rng.randint(5, 10), answered))
    _planned_and_cancelled(ctx, i, rng, visits)


def _minutes(rng, pos: int, duration: int, activities: list) -> None:
    """Split a visit's minutes over one to three activities, in quarter hours where possible."""
    chosen = rng.sample(ACTIVITIES, rng.choice([1, 2, 2, 3]))
    left = duration
    for k, activity in enumerate(chosen):
        if k == len(chosen) - 1:
            minutes = left
        else:
            minutes = max(15, min(left - 15 * (len(chosen) - k - 1), 15 * rng.randint(1, 3)))
        if minutes <= 0:
            break
        activities.append((pos, activity, minutes))
        left -= minutes


def _planned_and_cancelled(ctx, i, rng, visits) -> None:
    spec = ctx.spec
    practice_id, coach_id = ctx.practice_ids[i], ctx.coach_id(i)
    if rng.random() < 0.8:
        day = spec.today + timedelta(days=rng.randint(1, 30))
        visits.append(
            (
                practice_id,
                coach_id,
                VisitStatus.PLANNED,
                day,
                time(10),
                VisitMode.ON_SITE,
                60,
                0,
                "Review the plan's progress",
                None,
                "",
                None,
                None,
                at(spec.today, 8),
                coach_id,
            )
        )
    if rng.random() < 0.3:
        day = spec.today - timedelta(days=rng.randint(5, 200))
        visits.append(
            (
                practice_id,
                coach_id,
                VisitStatus.CANCELLED,
                day,
                time(14),
                VisitMode.VIRTUAL,
                60,
                0,
                "Workflow check-in",
                None,
                "The practice asked to move it.",
                at(day, 8),
                coach_id,
                at(day, 7),
                coach_id,
            )
        )
