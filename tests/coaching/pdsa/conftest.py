"""Fixtures for the PDSA tests: an active plan of world.practice with one goal watching a KPI."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from coaching.models import PlanStatus
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.shared_data import shared_fixture


@shared_fixture
def pdsa_world():
    """The persona world plus an active plan of its practice with a goal watching the no-show
    rate, and another practice's goal (out of the world's coach's reach)."""
    from tests.conftest import build_world

    world = build_world("north-psp", "North PSP")
    with program_scope(world.program):
        plan = f.SupportPlanFactory(
            program=world.program,
            practice=world.practice,
            status=PlanStatus.ACTIVE,
            accepted_at=timezone.now(),
        )
        goal = f.PlanGoalFactory(
            program=world.program,
            plan=plan,
            title="Fewer missed appointments",
            kpi_key="no-show-rate",
        )
        other_plan = f.SupportPlanFactory(
            program=world.program, practice=world.other_practice, status=PlanStatus.ACTIVE
        )
        other_goal = f.PlanGoalFactory(program=world.program, plan=other_plan)
    return SimpleNamespace(world=world, plan=plan, goal=goal, other_goal=other_goal)


@pytest.fixture
def world(pdsa_world):
    return pdsa_world.world
