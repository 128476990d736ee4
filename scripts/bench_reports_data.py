"""The data scripts/bench_reports.py measures: a demo-like practice for the report card, and
generated programs of many practices for the program report, written in bulk. Imported by the
benchmark after django.setup()."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

COACHES = 8
VISITS = 6  # logged visits per generated practice


# Building ---------------------------------------------------------------------------------------


def build_card_program():
    """A program with one demo-like practice; returns (program slug, practice id)."""
    from tests.coaching.reports.builders import coached_history
    from tests.conftest import build_world

    world = build_world("bench-card", "Bench Card PSP")
    coached_history(world.program, world.practice, world.coach, visits=14)
    return world.program.slug, world.practice.pk


def build_program(size: int) -> str:
    """A program of `size` practices with their coaching, written in bulk; returns its slug."""
    from psp.tenancy.models import ProgramRole
    from psp.tenancy.scope import program_scope
    from tests.coaching.helpers import instrument_in
    from tests.factories import MembershipFactory, ProgramFactory, UserFactory

    program = ProgramFactory(slug=f"bench-{size}", name=f"Bench PSP of {size}")
    coaches = []
    for i in range(COACHES):
        coach = UserFactory(email=f"coach{i}@bench-{size}.example.org", full_name=f"Coach {i}")
        MembershipFactory(program=program, user=coach, role=ProgramRole.COACH)
        coaches.append(coach)
    _, version, domains = instrument_in(program)
    with program_scope(program):
        practices = _practices(program, coaches, size)
        _visits(program, coaches, practices)
        _rounds(program, version, domains, practices)
        _plans(program, practices)
    return program.slug


def _practices(program, coaches, size: int):
    from practices.models import CoachAssignment, Practice, Stage

    stages, sectors = list(Stage.values), ["primary_care", "dental", "law"]
    rows = Practice.objects.bulk_create(
        Practice(
            program=program,
            name=f"Bench Practice {i:05}",
            sector=sectors[i % 3],
            region=f"Region {i % 5}",
            stage=stages[i % len(stages)],
        )
        for i in range(size)
    )
    CoachAssignment.objects.bulk_create(
        CoachAssignment(
            program=program,
            practice=p,
            coach=coaches[i % COACHES],
            assigned_at=timezone.now() - timedelta(days=500),
        )
        for i, p in enumerate(rows)
    )
    return rows


def _visits(program, coaches, practices) -> None:
    from coaching.models import Activity, FeedbackResponse, Visit, VisitActivity, VisitMode

    today, modes, activities = timezone.localdate(), list(VisitMode.values), list(Activity.values)
    visits = Visit.objects.bulk_create(
        (
            Visit(
                program=program,
                practice=p,
                coach=coaches[i % COACHES],
                status="logged",
                visit_date=today - timedelta(days=(i % 9) * 15 + v * 55),
                mode=modes[v % len(modes)],
                duration_minutes=60 + 15 * (v % 3),
                travel_minutes=20,
                logged_at=timezone.now(),
            )
            for i, p in enumerate(practices)
            for v in range(VISITS)
        ),
        batch_size=2000,
    )
    VisitActivity.objects.bulk_create(
        (
            VisitActivity(program=program, visit=v, activity=activities[v.pk % 6], minutes=45)
            for v in visits
        ),
        batch_size=2000,
    )
    FeedbackResponse.objects.bulk_create(
        (
            FeedbackResponse(
                program=program, visit=v, usefulness=3 + v.pk % 3, would_recommend=v.pk % 11
            )
            for v in visits[::2]
        ),
        batch_size=2000,
    )


def _rounds(program, version, domains, practices) -> None:
    from assessments.models import Assessment, DomainScore

    now = timezone.now()
    rounds = Assessment.objects.bulk_create(
        (
            Assessment(
                program=program,
                practice=p,
                version=version,
                kind="baseline" if r == 0 else "follow_up",
                status="submitted",
                submitted_at=now - timedelta(days=400 - 300 * r),
                overall_score=Decimal(45 + 15 * r + i % 10),
            )
            for i, p in enumerate(practices)
            for r in range(2)
        ),
        batch_size=2000,
    )
    DomainScore.objects.bulk_create(
        (
            DomainScore(
                program=program,
                assessment=a,
                domain=domain,
                domain_key=key,
                domain_name=domain.name,
                position=domain.position,
                achieved_points=Decimal(40 + a.pk % 40),
                attainable_points=Decimal(100),
                percent=Decimal(40 + a.pk % 40 + (15 if a.kind == "follow_up" else 0)),
            )
            for a in rounds
            for key, domain in domains.items()
        ),
        batch_size=2000,
    )


def _plans(program, practices) -> None:
    from coaching.models import PlanAction, PlanGoal, SupportPlan

    today, now = timezone.localdate(), timezone.now()
    plans = SupportPlan.objects.bulk_create(
        SupportPlan(program=program, practice=p, title="Plan", status="active", accepted_at=now)
        for p in practices
    )
    goals = PlanGoal.objects.bulk_create(
        PlanGoal(program=program, plan=plan, title="Shorter waits") for plan in plans
    )
    PlanAction.objects.bulk_create(
        (
            PlanAction(
                program=program,
                practice_id=plan.practice_id,
                plan=plan,
                goal=goal,
                title=f"Action {a}",
                status=status,
                due_on=today + timedelta(days=due),
            )
            for plan, goal in zip(plans, goals, strict=True)
            for a, (status, due) in enumerate([("open", -20), ("in_progress", 30), ("done", -5)])
        ),
        batch_size=2000,
    )


# Measuring (in a fresh process per report) ----------------------------------------------------
