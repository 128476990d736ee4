"""Targets and bodies for the permission tables' rows of PDSA cycles and the practice KPI
dashboard: `theirs` (world.practice) or `other` (world.other_practice) practice's active plan
with a goal, and on it a cycle still being planned (moving it on starts it)."""

from dataclasses import dataclass, field

from django.utils import timezone

from coaching.models import PlanStatus
from psp.tenancy.scope import program_scope
from tests import factories as f

PREFIXES = ("plans:pdsa_", "pdsa-cycles", "kpis:practice")


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def _goal(world, practice):
    plan = f.SupportPlanFactory(
        program=world.program,
        practice=practice,
        status=PlanStatus.ACTIVE,
        accepted_at=timezone.now(),
    )
    return f.PlanGoalFactory(program=world.program, plan=plan, kpi_key="no-show-rate")


PLAN = {"change_idea": "Text reminders two days ahead", "prediction": "Missed under 8%"}


def target(world, user, name: str, route: str) -> Target:
    with program_scope(world.program):
        if route == "kpis:practice":
            practice = world.practice if name == "theirs" else world.other_practice
            return Target({"practice_pk": practice.pk})
        if name == "-":
            return Target({}, {"goal": _goal(world, world.practice).pk, **PLAN})
        practice = world.practice if name == "theirs" else world.other_practice
        goal = _goal(world, practice)
        if route == "plans:pdsa_add":
            return Target({"plangoal_pk": goal.pk}, PLAN)
        cycle = f.PdsaCycleFactory(program=world.program, goal=goal, number=1)
        today = timezone.localdate().isoformat()
        body = {
            "plans:pdsa_move": {"from_stage": "plan", "started_on": today},
            "pdsa-cycles-move": {"started_on": today},
            "pdsa-cycles-detail": {"goal": goal.pk, **PLAN, "prediction": "Missed under 7%"},
        }.get(route, {})
        kwargs = {"pdsacycle_pk": cycle.pk} if route.startswith("plans:") else {"pk": cycle.pk}
        return Target(kwargs, body)
