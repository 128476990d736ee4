"""The QI world for the claim tests: the CPD persona world (a family-medicine style scheme for
leads and staff: practice audits 3 credits an hour, in "assessment"), and in world.practice an
active plan with an achieved goal (marked so through the service, so its history dates it), two
visits logged on it by world.coach (90 and 45 minutes) and one cancelled, two actions done and
one open, an ended PDSA cycle on it, and a submitted assessment round the lead answered. The
other practice has an achieved goal of its own."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assessments.models import AssessmentStatus
from coaching.actions.models import ActionStatus
from coaching.pdsa.models import PdsaDecision, PdsaStage
from coaching.plans.models import GoalStatus, PlanStatus
from coaching.plans.services import goal_update
from coaching.visits.models import VisitStatus
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.cpd.activities.conftest import cpd_world  # noqa: F401 (the CPD persona world)

TODAY = timezone.localdate()


@pytest.fixture(name="world")
def _world(cpd_world):  # noqa: F811 (the fixture imported above)
    return cpd_world.world


def achieved_goal(world, practice, *, title, by):
    plan = f.SupportPlanFactory(
        program=world.program, practice=practice, status=PlanStatus.ACTIVE, title="Team plan"
    )
    goal = f.PlanGoalFactory(program=world.program, plan=plan, title=title, kpi_key="no-show-rate")
    with program_scope(world.program):
        goal_update(program=world.program, goal=goal, by=by, data={"status": GoalStatus.ACHIEVED})
        goal.refresh_from_db()
    return goal


@pytest.fixture
def qi(world):
    program = world.program
    goal = achieved_goal(world, world.practice, title="Fewer missed appointments", by=world.lead)
    visits = [
        f.VisitFactory(program=program, practice=world.practice, coach=world.coach,
                       visit_date=TODAY - timedelta(days=days), duration_minutes=minutes)
        for days, minutes in ((40, 90), (20, 45))
    ]  # fmt: skip
    cancelled = f.VisitFactory(program=program, practice=world.practice, coach=world.coach,
                               status=VisitStatus.CANCELLED, duration_minutes=600)  # fmt: skip
    for visit in [*visits, cancelled]:
        f.VisitGoalFactory(program=program, visit=visit, goal=goal)
    for title, status in (("Text reminders", ActionStatus.DONE),
                          ("Call-back list", ActionStatus.DONE),
                          ("Review in a year", ActionStatus.OPEN)):  # fmt: skip
        f.PlanActionFactory(program=program, goal=goal, title=title, status=status)
    cycle = f.PdsaCycleFactory(
        program=program,
        goal=goal,
        stage=PdsaStage.ENDED,
        started_on=TODAY - timedelta(days=35),
        what_done="Sent reminders for two weeks.",
        result="Missed appointments fell to 7%.",
        studied_on=TODAY - timedelta(days=15),
        decision=PdsaDecision.ADOPT,
        act_notes="Reminders for every appointment from now on.",
        ended_on=TODAY - timedelta(days=14),
    )
    audit = f.AssessmentFactory(
        program=program,
        practice=world.practice,
        status=AssessmentStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=60),
        submitted_by=world.coach,
        overall_score=62,
    )
    f.ResponseFactory(program=program, assessment=audit, respondent=world.lead,
                      submitted_at=timezone.now() - timedelta(days=61))  # fmt: skip
    f.DomainScoreFactory(program=program, assessment=audit, percent=48)
    others = achieved_goal(world, world.other_practice, title="Faster referrals", by=world.admin)
    return SimpleNamespace(goal=goal, visits=visits, cycle=cycle, audit=audit, others=others)
