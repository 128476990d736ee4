"""Query counts of the plan pages and endpoints do not grow with the number of goals, actions
or domains: each is measured on a small plan, the plan is grown, and the count must not move."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.actions import services as action_services
from coaching.models import PlanAction
from coaching.plans import services
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import make_acceptable


def queries_for(client, path, **extra) -> int:
    client.get(path, **extra)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **extra).status_code == 200
    return len(captured)


def grow(world, plan, goals: int = 6, actions_per_goal: int = 4) -> None:
    """Add goals of the practice's own, each with owned actions, to `plan`."""
    with program_scope(world.program):
        for i in range(goals):
            goal = services.goal_add(
                program=world.program,
                plan=plan,
                by=world.coach,
                title=f"Growth goal {i}",
                measure="Something measurable",
                domain_key="privacy",
            )
            for j in range(actions_per_goal):
                action_services.action_add(
                    program=world.program,
                    goal=goal,
                    by=world.coach,
                    title=f"Growth action {i}.{j}",
                    owner=(world.lead, world.staff, world.coach)[j % 3],
                    due_on=timezone.localdate(),
                )


def activate(world, plan) -> None:
    make_acceptable(world, plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=plan, by=world.coach)


@pytest.mark.parametrize("who", ["coach", "manager", "staff"])
def test_the_plan_page_costs_the_same_for_2_and_8_goals(
    client, world, drafted, who, django_assert_num_queries
):
    activate(world, drafted.plan)
    client.force_login(world.user(who))
    path = drafted.plan.get_absolute_url()
    expected = queries_for(client, path)

    grow(world, drafted.plan)

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["plan"].goal_list) == 8


def test_a_draft_plan_page_costs_the_same_for_2_and_8_goals(
    client, world, drafted, django_assert_num_queries
):
    client.force_login(world.coach)
    path = drafted.plan.get_absolute_url()
    expected = queries_for(client, path)

    grow(world, drafted.plan)

    with django_assert_num_queries(expected):
        client.get(path)


def test_the_plan_list_and_my_actions_cost_the_same_as_plans_grow(
    client, world, drafted, django_assert_num_queries
):
    activate(world, drafted.plan)
    client.force_login(world.lead)
    paths = [
        reverse("plans:list", kwargs={"program": world.program.slug}),
        reverse("actions:mine", kwargs={"program": world.program.slug}),
    ]
    expected = [queries_for(client, path) for path in paths]

    grow(world, drafted.plan)

    for path, count in zip(paths, expected, strict=True):
        with django_assert_num_queries(count):
            client.get(path)


@pytest.mark.parametrize("endpoint", ["plans/{pk}/", "plans/", "plan-goals/", "plan-actions/"])
def test_the_plan_endpoints_cost_the_same_for_2_and_8_goals(
    api_client, world, drafted, endpoint, django_assert_num_queries
):
    api_client.force_authenticate(world.coach)
    path = f"/api/v1/programs/{world.program.slug}/" + endpoint.format(pk=drafted.plan.pk)
    expected = queries_for(api_client, path)

    grow(world, drafted.plan)

    with django_assert_num_queries(expected):
        api_client.get(path)
    with program_scope(world.program):
        assert PlanAction.objects.filter(plan=drafted.plan).count() == 5 + 6 * 4
