"""A year and a half of a practice's coaching, for the report tests and the benchmark
(scripts/bench_reports.py): two scored rounds, a plan with goals and actions (one overdue), logged
visits over six quarters with minutes by activity, feedback, a planned visit and stage moves.
Rows are made with the factories, inside the program's scope."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import AssessmentKind
from coaching.models import (
    ActionStatus,
    Activity,
    GoalStatus,
    PlanStatus,
    VisitMode,
    VisitStatus,
)
from practices.models import Stage, StageChange
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import DOMAINS, assessment_in, instrument_in
from tests.factories import (
    FeedbackResponseFactory,
    PlanActionFactory,
    PlanGoalFactory,
    SupportPlanFactory,
    VisitActivityFactory,
    VisitFactory,
)

BASELINE = {"team-roles": 40, "workflow": 35, "ehr-use": 52.5, "privacy": 70, "quality": 55}
LATEST = {"team-roles": 65, "workflow": 60, "ehr-use": 58, "privacy": 75, "quality": None}
MODES = [VisitMode.ON_SITE, VisitMode.VIRTUAL, VisitMode.ON_SITE, VisitMode.PHONE]
ACTIVITIES = [Activity.WORKFLOW, Activity.TECHNOLOGY, Activity.FACILITATION]


def coached_history(program, practice, coach, *, version=None, visits: int = 12):
    """Give `practice` its history; returns the instrument version used (pass it again for
    another practice of the same program)."""
    if version is None:
        _, version, _ = instrument_in(program)
    baseline = assessment_in(program, practice, version, BASELINE)
    latest = assessment_in(program, practice, version, LATEST)
    now, today = timezone.now(), timezone.localdate()
    with program_scope(program):
        baseline.submitted_at = now - timedelta(days=400)
        baseline.overall_score = Decimal("50.5")
        baseline.save(update_fields=["submitted_at", "overall_score"])
        latest.kind = AssessmentKind.FOLLOW_UP
        latest.submitted_at = now - timedelta(days=30)
        latest.overall_score = Decimal("64.5")
        latest.save(update_fields=["kind", "submitted_at", "overall_score"])
        _plan(program, practice, baseline, today)
        _visits(program, practice, coach, today, visits)
        _stages(program, practice, now)
    return version


def _plan(program, practice, assessment, today):
    plan = SupportPlanFactory(
        program=program,
        practice=practice,
        assessment=assessment,
        title=f"Support plan for {practice.name}",
        status=PlanStatus.ACTIVE,
        accepted_at=timezone.now() - timedelta(days=300),
    )
    goals = [
        PlanGoalFactory(
            program=program,
            plan=plan,
            domain_key=key,
            domain_name=DOMAINS[key],
            title=title,
            status=status,
            position=i,
        )
        for i, (key, title, status) in enumerate(
            [
                ("workflow", "Offer same-day appointments", GoalStatus.OPEN),
                ("team-roles", "Write down who does what", GoalStatus.ACHIEVED),
            ]
        )
    ]
    for goal, actions in zip(
        goals,
        [
            [
                ("Measure third-next-available", ActionStatus.DONE, -60),
                ("Reserve same-day slots", ActionStatus.IN_PROGRESS, -10),
                ("Review the waits weekly", ActionStatus.OPEN, 20),
            ],
            [("Draft a roles chart", ActionStatus.DONE, -120)],
        ],
        strict=True,
    ):
        for position, (title, status, due) in enumerate(actions):
            PlanActionFactory(
                program=program,
                goal=goal,
                title=title,
                status=status,
                due_on=today + timedelta(days=due),
                position=position,
            )


def _visits(program, practice, coach, today, count: int):
    for i in range(count):
        visit = VisitFactory(
            program=program,
            practice=practice,
            coach=coach,
            visit_date=today - timedelta(days=10 + i * 40),
            mode=MODES[i % len(MODES)],
            duration_minutes=60 + 15 * (i % 3),
        )
        VisitActivityFactory(
            program=program, visit=visit, activity=ACTIVITIES[i % 3], minutes=40 + 15 * (i % 3)
        )
        VisitActivityFactory(
            program=program, visit=visit, activity=Activity.ASSESSMENT_PLANNING, minutes=20
        )
        if i % 2 == 0:
            FeedbackResponseFactory(
                program=program, visit=visit, usefulness=4 + i % 2, would_recommend=9 - i % 4
            )
    VisitFactory(
        program=program,
        practice=practice,
        coach=coach,
        status=VisitStatus.PLANNED,
        visit_date=today + timedelta(days=12),
        logged_at=None,
        purpose="Review the same-day slots",
    )


def _stages(program, practice, now):
    moves = [("", Stage.NEEDS_ASSESSMENT, 450), (Stage.NEEDS_ASSESSMENT, Stage.PILOT, 380)]
    type(practice).objects.filter(pk=practice.pk).update(
        stage=Stage.PILOT, stage_changed_at=now - timedelta(days=380)
    )
    for from_stage, to_stage, days in moves:
        StageChange.objects.create(
            program=program,
            practice=practice,
            from_stage=from_stage,
            to_stage=to_stage,
            moved_at=now - timedelta(days=days),
        )
