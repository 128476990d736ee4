"""One small program whose every number the measure tests know by heart: three practices over
January to April 2026, "today" being 15 April 2026 (the measures that read today are given it).

North: visits in January and March, feedback on a January visit, an active plan with goals
achieved, dropped and added along the way, actions due in January and April, a baseline and a
follow-up assessment, and three stages. South: visits in December and February, too little
feedback to show, a plan written in bulk (no history), an action due in March, rounds of two
instruments, and no stage history. Idle: nothing at all in those months."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from assessments.rounds.models import AssessmentStatus
from coaching.models import ActionStatus, Activity, GoalStatus, PlanStatus, VisitMode, VisitStatus
from practices.models import Stage, StageChange
from psp.history.models import RecordType, SubjectType
from psp.measures.registry import registry
from psp.tenancy.scope import program_scope
from tests.factories import (
    AssessmentFactory,
    ChangeRecordFactory,
    DomainFactory,
    DomainScoreFactory,
    FeedbackResponseFactory,
    InstrumentVersionFactory,
    PlanActionFactory,
    PlanGoalFactory,
    PracticeFactory,
    ProgramFactory,
    SupportPlanFactory,
    VisitActivityFactory,
    VisitFactory,
)
from tests.shared_data import shared_fixture

JAN, FEB, MAR, APR, MAY = (date(2026, month, 1) for month in range(1, 6))
MONTHS = [JAN, FEB, MAR, APR]
TODAY = date(2026, 4, 15)


def at(day: str, clock: str = "10:00") -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{clock}"))


@dataclass
class MeasureWorld:
    program: object
    north: object
    south: object
    idle: object


def values(world, code: str, months=MONTHS, practice_ids=None, **options) -> dict:
    """{(practice name, month): value} of one measure."""
    names = {p.pk: p.name for p in (world.north, world.south, world.idle)}
    found = registry.get(code).compute(
        world.program, months=months, practice_ids=practice_ids, **options
    )
    return {(names.get(v.practice_id, v.practice_id), v.period): v.value for v in found}


def ratios(world, code: str, months=MONTHS, **options) -> dict:
    """{(practice name, month): (numerator, denominator)} of a ratio measure, checking that
    each value is exactly its numerator over its denominator."""
    names = {p.pk: p.name for p in (world.north, world.south, world.idle)}
    found = registry.get(code).compute(world.program, months=months, practice_ids=None, **options)
    result = {}
    for v in found:
        assert v.value == v.numerator / v.denominator
        result[names[v.practice_id], v.period] = (v.numerator, v.denominator)
    return result


def D(value) -> Decimal:
    return Decimal(str(value))


def _visit(
    program,
    practice,
    day,
    minutes,
    mode=VisitMode.ON_SITE,
    status=VisitStatus.LOGGED,
    activities=(),
):
    visit = VisitFactory(
        program=program,
        practice=practice,
        coach=None,
        visit_date=date.fromisoformat(day),
        duration_minutes=minutes,
        mode=mode,
        status=status,
    )
    for activity, spent in activities:
        VisitActivityFactory(program=program, visit=visit, activity=activity, minutes=spent)
    return visit


def _visits(program, north, south) -> None:
    first = _visit(
        program,
        north,
        "2026-01-10",
        90,
        activities=[(Activity.WORKFLOW, 60), (Activity.TECHNOLOGY, 30)],
    )
    _visit(
        program, north, "2026-01-20", 30, VisitMode.VIRTUAL, activities=[(Activity.WORKFLOW, 30)]
    )
    _visit(program, north, "2026-01-25", 60, status=VisitStatus.PLANNED)
    _visit(program, north, "2026-01-26", 45, VisitMode.PHONE, status=VisitStatus.CANCELLED)
    _visit(
        program, north, "2026-03-05", 45, VisitMode.PHONE, activities=[(Activity.DATA_REVIEW, 45)]
    )
    _visit(program, south, "2025-12-20", 60)
    second = _visit(program, south, "2026-02-14", 120, activities=[(Activity.FACILITATION, 120)])
    for useful, recommend in ((5, 10), (4, 9), (3, 5)):
        FeedbackResponseFactory(
            program=program, visit=first, usefulness=useful, would_recommend=recommend
        )
    for _ in range(2):  # too few to show
        FeedbackResponseFactory(program=program, visit=second, usefulness=5, would_recommend=10)


def _status_line(program, goal, when, before, after, what="goal.edited"):
    ChangeRecordFactory(
        program=program,
        practice_id=goal.plan.practice_id,
        subject_type=SubjectType.PLAN,
        subject_id=goal.plan_id,
        record_type=RecordType.GOAL,
        record_id=goal.pk,
        what=what,
        summary=f"Goal {goal.title}",
        changes={"status": [before, after]} if before else {"title": [None, goal.title]},
        changed_at=at(when),
    )


def _plans(program, north, south) -> None:
    plan = SupportPlanFactory(
        program=program,
        practice=north,
        assessment=None,
        status=PlanStatus.ACTIVE,
        accepted_at=at("2026-01-05"),
    )
    achieved = PlanGoalFactory(program=program, plan=plan, status=GoalStatus.ACHIEVED)
    _status_line(program, achieved, "2026-02-10", "open", "achieved")
    PlanGoalFactory(program=program, plan=plan, status=GoalStatus.OPEN)
    dropped = PlanGoalFactory(program=program, plan=plan, status=GoalStatus.DROPPED)
    _status_line(program, dropped, "2026-03-01", "open", "dropped")
    late = PlanGoalFactory(program=program, plan=plan, status=GoalStatus.ACHIEVED)
    _status_line(program, late, "2026-03-15", None, None, what="goal.added")
    _status_line(program, late, "2026-03-20", "open", "achieved")
    draft = SupportPlanFactory(program=program, practice=south, assessment=None)
    PlanGoalFactory(program=program, plan=draft)
    bulk = SupportPlanFactory(
        program=program,
        practice=south,
        assessment=None,
        status=PlanStatus.COMPLETED,
        accepted_at=at("2026-02-01"),
    )
    PlanGoalFactory(program=program, plan=bulk, status=GoalStatus.ACHIEVED)
    _actions(program, north, south, plan, bulk)


def _actions(program, north, south, plan, bulk) -> None:
    for due, status, done in (
        ("2026-01-15", ActionStatus.DONE, "2026-01-14"),
        ("2026-01-20", ActionStatus.DONE, "2026-01-25"),
        ("2026-01-31", ActionStatus.OPEN, None),
        ("2026-01-10", ActionStatus.DROPPED, None),
        ("2026-04-20", ActionStatus.OPEN, None),  # not due yet on 15 April
        ("2026-04-10", ActionStatus.DONE, "2026-04-10"),
        ("2026-04-30", ActionStatus.DONE, "2026-04-01"),
        (None, ActionStatus.DONE, "2026-02-01"),
    ):
        PlanActionFactory(
            program=program,
            practice=north,
            plan=plan,
            goal=None,
            due_on=date.fromisoformat(due) if due else None,
            status=status,
            completed_at=at(done, "23:30") if done else None,
        )
    PlanActionFactory(
        program=program,
        practice=south,
        plan=bulk,
        goal=None,
        due_on=date(2026, 3, 3),
        status=ActionStatus.IN_PROGRESS,
    )


def _round(program, practice, version, submitted, overall, percents=None):
    status = AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.OPEN
    round_ = AssessmentFactory(
        program=program,
        practice=practice,
        version=version,
        status=status,
        submitted_at=at(submitted) if submitted else None,
        overall_score=overall,
    )
    for domain, percent in (percents or {}).items():
        DomainScoreFactory(program=program, assessment=round_, domain=domain, percent=percent)
    return round_


def _assessments(program, north, south) -> None:
    version = InstrumentVersionFactory(program=program)
    team = DomainFactory(program=program, version=version, key="team-roles")
    access = DomainFactory(program=program, version=version, key="access-scheduling")
    _round(program, north, version, "2026-01-12", D("50.0"), {team: 40, access: 60})
    _round(program, north, version, "2026-03-20", D("62.5"), {team: 55, access: None})
    _round(program, north, version, None, None)  # still open: never counts
    other = InstrumentVersionFactory(program=program)
    _round(program, south, version, "2026-01-05", D("40.0"))
    _round(program, south, other, "2026-02-10", D("70.0"))
    _round(program, south, version, "2026-03-10", D("45.0"))


def _stages(program, north) -> None:
    with program_scope(program):
        for when, before, after in (
            ("2025-12-01", "", Stage.NEEDS_ASSESSMENT),
            ("2026-02-10", Stage.NEEDS_ASSESSMENT, Stage.PROGRAM_DESIGN),
            ("2026-03-10", Stage.PROGRAM_DESIGN, Stage.PILOT),
        ):
            StageChange.objects.create(
                program=program,
                practice=north,
                from_stage=before,
                to_stage=after,
                moved_at=at(when),
            )


@shared_fixture
def measure_world() -> MeasureWorld:
    program = ProgramFactory(slug="measure-psp", name="Measure PSP")
    north = PracticeFactory(
        program=program, name="North Clinic", stage=Stage.PILOT, enrolled_on=date(2025, 12, 1)
    )
    south = PracticeFactory(
        program=program,
        name="South Clinic",
        stage=Stage.TRAINING,
        stage_changed_at=at("2026-02-20"),
    )
    idle = PracticeFactory(program=program, name="Idle Clinic")
    _visits(program, north, south)
    _plans(program, north, south)
    _assessments(program, north, south)
    _stages(program, north)
    return MeasureWorld(program, north, south, idle)
