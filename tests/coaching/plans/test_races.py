"""Writes on one plan that cross: a draft discarded while one of its goals is removed, edited
or given an action. The plan's row is locked first and everything read again after, so the
later request finds the plan (or goal) gone and answers 404, never a 500."""

import pytest
from django.http import Http404
from rest_framework.test import APIClient

from coaching.actions import services as action_services
from coaching.models import PlanAction, PlanGoal, SupportPlan
from coaching.plans import services
from psp.tenancy.scope import program_scope
from tests.coaching.concurrency import needs_postgres, run_together
from tests.coaching.helpers import drafted_setup
from tests.coaching.plans.test_api import api


def _first_goal_and_action(world, plan):
    with program_scope(world.program):
        goal = PlanGoal.objects.select_related("plan").filter(plan=plan).order_by("position")[0]
        action = PlanAction.objects.filter(goal=goal).order_by("position")[0]
    return goal, action


def _discard(world, plan):
    with program_scope(world.program):
        services.plan_discard(program=world.program, plan=plan, by=world.coach)


# One after the other: the second request still holds what it read before the discard -----


@pytest.mark.parametrize(
    "write",
    [
        lambda world, goal, action: services.goal_remove(
            program=world.program, goal=goal, by=world.coach
        ),
        lambda world, goal, action: services.goal_update(
            program=world.program, goal=goal, by=world.coach, data={"title": "Late edit"}
        ),
        lambda world, goal, action: action_services.action_add(
            program=world.program, goal=goal, by=world.coach, title="Late action"
        ),
        lambda world, goal, action: action_services.action_update(
            program=world.program, action=action, by=world.coach, data={"title": "Late edit"}
        ),
        lambda world, goal, action: services.plan_discard(
            program=world.program, plan=goal.plan, by=world.coach
        ),
    ],
    ids=["goal_remove", "goal_update", "action_add", "action_update", "plan_discard"],
)
def test_a_write_on_a_discarded_draft_is_not_found(world, drafted, write):
    goal, action = _first_goal_and_action(world, drafted.plan)
    _discard(world, drafted.plan)

    with program_scope(world.program), pytest.raises(Http404):
        write(world, goal, action)

    with program_scope(world.program):
        assert not SupportPlan.objects.exists() and not PlanAction.objects.exists()


def test_a_goal_removed_meanwhile_is_not_found(world, drafted):
    goal, _ = _first_goal_and_action(world, drafted.plan)
    with program_scope(world.program):
        services.goal_remove(program=world.program, goal=goal, by=world.coach)

        with pytest.raises(Http404):
            services.goal_remove(program=world.program, goal=goal, by=world.coach)
        with pytest.raises(Http404):
            action_services.action_add(
                program=world.program, goal=goal, by=world.coach, title="Late"
            )


# At the same moment, on two connections (PostgreSQL) ---------------------------------------


def _as_coach(world, method: str, path: str, data=None):
    def call():
        client = APIClient()
        client.force_authenticate(world.coach)
        return getattr(client, method)(api(world, path), data, format="json")

    return call


GOAL_WRITES = {
    "delete goal": lambda goal: ("delete", f"plan-goals/{goal.pk}/", None),
    "edit goal": lambda goal: ("patch", f"plan-goals/{goal.pk}/", {"title": "Racing edit"}),
    "add action": lambda goal: ("post", "plan-actions/", {"goal": goal.pk, "title": "Racing"}),
}


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
@pytest.mark.parametrize("write", GOAL_WRITES)
def test_a_goal_write_racing_the_discard_is_404_never_500(world, write, round_):
    plan = drafted_setup(world).plan
    goal, _ = _first_goal_and_action(world, plan)
    method, path, data = GOAL_WRITES[write](goal)

    on_goal, discard = run_together(
        _as_coach(world, method, path, data), _as_coach(world, "delete", f"plans/{plan.pk}/")
    )

    assert discard.status_code == 204, discard.content
    assert on_goal.status_code in {200, 201, 204, 404}, on_goal.content
    if on_goal.status_code == 404:
        assert on_goal.json()["error"]["code"] == "not_found"
    with program_scope(world.program):
        assert not SupportPlan.objects.exists() and not PlanGoal.objects.exists()
        assert not PlanAction.objects.exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_draft_discarded_twice_at_once_is_204_then_404(world):
    plan = drafted_setup(world).plan
    discard = _as_coach(world, "delete", f"plans/{plan.pk}/")

    answers = run_together(discard, discard)

    assert sorted(a.status_code for a in answers) == [204, 404]
