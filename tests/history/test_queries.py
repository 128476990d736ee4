"""The History pages and endpoints cost the same number of queries however long the history:
each is measured, the history is grown by many changes by several people, and measured again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.rounds import submission
from coaching.plans import services
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, answer, questions_by_key


def count(client, path) -> int:
    client.get(path)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def grow_plan(world, plan, times: int = 12) -> None:
    with program_scope(world.program):
        for i in range(times):
            goal = services.goal_add(
                program=world.program,
                plan=plan,
                by=(world.coach, world.lead, world.admin)[i % 3],
                title=f"Growth goal {i}",
            )
            services.goal_update(
                program=world.program, goal=goal, by=world.staff, data={"measure": f"M{i}"}
            )


def grow_round(world, assessment) -> None:
    questions = questions_by_key(assessment.version)
    with program_scope(world.program):
        for i, value in enumerate([1, 2, 3, 4, 5, 2, 3, 4]):
            submission.consensus_record(
                program=world.program,
                assessment=assessment,
                question=questions["roles-clear"],
                value=value,
                by=(world.coach, world.lead)[i % 2],
            )
    answer(world, assessment, world.staff, ANSWERS, submit=True)


@pytest.mark.parametrize("who", ["coach", "manager", "staff"])
def test_the_plan_history_page_costs_the_same_for_1_and_25_changes(
    client, world, drafted, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    path = reverse("plans:history", kwargs={"program": world.program.slug, "pk": drafted.plan.pk})
    expected = count(client, path)
    grow_plan(world, drafted.plan)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["changes"]) == 25


@pytest.mark.parametrize("who", ["admin", "lead"])
def test_the_round_history_page_costs_the_same_for_1_and_10_changes(
    client, world, round_, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    path = reverse("assessments:history", kwargs={"program": world.program.slug, "pk": round_.pk})
    expected = count(client, path)
    grow_round(world, round_)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["changes"]) == 10


def test_the_history_endpoints_cost_the_same_as_history_grows(
    api_client, world, drafted, round_, django_assert_num_queries
):
    api_client.force_authenticate(world.coach)
    base = f"/api/v1/programs/{world.program.slug}"
    plan_path = f"{base}/plans/{drafted.plan.pk}/history/"
    round_path = f"{base}/assessments/{round_.pk}/history/"
    plan_cost, round_cost = count(api_client, plan_path), count(api_client, round_path)
    grow_plan(world, drafted.plan)
    grow_round(world, round_)
    with django_assert_num_queries(plan_cost):
        assert len(api_client.get(plan_path).json()) == 25
    with django_assert_num_queries(round_cost):
        assert len(api_client.get(round_path).json()) == 10
