"""The permission tables' rows of CPD claims from QI work and of the transcript import.

Targets: `achieved_goal` is an achieved goal of world.practice's active plan, worked on at a
visit world.coach logged; `other_goal` one of world.other_practice's (its coach is
world.other_coach); `own_claim` an activity drafted from a goal for the caller,
`someone_elses_claim` one drafted for world.other_coach.

Everyone records their own CPD (cpd.record) and claims the QI work they took part in: the people
of the goal's practice and the coaches who worked on it at a visit. Admins and managers see every
plan but did not do the work: 403. A goal out of the caller's reach is 404, as a missing one.
Everyone imports their own past CPD (the rows here are the caller's own; importing for others,
by email, is for admins: tests/cpd/imports/test_import.py)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coaching.plans.models import GoalStatus, PlanStatus
from psp.tenancy.scope import program_scope
from tests import factories as f

ROUTES = ("cpd_claims:", "cpd_imports:", "cpd-claims", "cpd-activities-import")

#  route                       method target       admin manager coach lead staff
PAGES = """
cpd_claims:draft               POST  achieved_goal 403   403     ok    ok   ok
cpd_claims:draft               POST  other_goal    403   403     404   404  404
cpd_imports:import             GET   -             ok    ok      ok    ok   ok
cpd_imports:import             POST  -             ok    ok      ok    ok   ok
cpd_imports:template           GET   -             ok    ok      ok    ok   ok
"""

#  route                       method target       admin manager coach lead staff
API = """
cpd-claims-list                GET    -            ok    ok      ok    ok   ok
cpd-claims-list                POST   achieved_goal 403  403     ok    ok   ok
cpd-claims-list                POST   other_goal   403   403     404   404  404
cpd-claims-detail              GET    own_claim    ok    ok      ok    ok   ok
cpd-claims-detail              GET    someone_elses_claim 404 404 404  404  404
cpd-activities-import          POST   -            ok    ok      ok    ok   ok
"""


def handles(route: str) -> bool:
    return route.startswith(ROUTES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def _csv() -> str:
    day = (timezone.localdate() - timedelta(days=30)).isoformat()
    return f"type,title,started_on,hours\nworkshop,Team huddles that work,{day},2\n"


def _goal(world, practice, coach):
    plan = f.SupportPlanFactory(program=world.program, practice=practice, status=PlanStatus.ACTIVE)
    goal = f.PlanGoalFactory(program=world.program, plan=plan, status=GoalStatus.ACHIEVED)
    visit = f.VisitFactory(program=world.program, practice=practice, coach=coach)
    f.VisitGoalFactory(program=world.program, visit=visit, goal=goal)
    return goal


def target(world, user, name: str, route: str) -> Target:
    with program_scope(world.program):
        if name == "-":
            if route == "cpd_imports:import":
                upload = SimpleUploadedFile("past.csv", _csv().encode(), content_type="text/csv")
                return Target({}, {"file": upload, "import": ""})
            if route == "cpd-activities-import":
                return Target({}, {"csv": _csv()})
            return Target({})
        if name in ("achieved_goal", "other_goal"):
            mine = name == "achieved_goal"
            practice = world.practice if mine else world.other_practice
            goal = _goal(world, practice, world.coach if mine else world.other_coach)
            return Target({}, {"source": "goal", "source_id": goal.pk})
        person = user if name == "own_claim" else world.other_coach
        activity = f.CpdActivityFactory(
            program=world.program, person=person, status="draft", source="goal", source_id=1
        )
        return Target({"pk": activity.pk})
