"""The History pages and endpoints cost the same number of queries however long the history:
each is measured, the history is grown by many changes by several people, and measured again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.rounds import submission
from coaching.actions import services as action_services
from coaching.plans import services
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, answer, questions_by_key
from tests.coaching.helpers import make_acceptable
from tests.history.helpers import visit_days_ago, visit_edit


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


def grow_visit(world, visit, times: int = 8) -> None:
    for i in range(times):
        visit_edit(world, visit, notes=f"Edit {i}", reason=f"Reason {i}")


def accepted_action(world, drafted):
    make_acceptable(world, drafted.plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)
        return drafted.plan.actions.order_by("pk").first()


def grow_action(world, action, times: int = 8) -> None:
    """Moves by several people, and edits filed under the action's plan."""
    with program_scope(world.program):
        for i in range(times):
            action_services.action_status_change(
                program=world.program,
                action=action,
                status=("in_progress", "open")[i % 2],
                by=(world.lead, world.staff, world.coach)[i % 3],
            )
            action_services.action_update(
                program=world.program, action=action, by=world.coach, data={"title": f"Step {i}"}
            )


@pytest.mark.parametrize("who", ["coach", "staff"])
def test_the_visit_history_page_costs_the_same_for_1_and_9_edits(
    client, world, who, django_assert_num_queries
):
    visit = visit_days_ago(world)
    visit_edit(world, visit, notes="First edit")
    client.force_login(world.user(who))
    path = reverse("visits:history", kwargs={"program": world.program.slug, "pk": visit.pk})
    expected = count(client, path)
    grow_visit(world, visit)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["changes"]) == 9


@pytest.mark.parametrize("who", ["lead", "coach"])
def test_the_action_page_costs_the_same_for_1_and_17_lines_of_history(
    client, world, drafted, who, django_assert_num_queries
):
    action = accepted_action(world, drafted)
    client.force_login(world.user(who))
    path = reverse("actions:detail", kwargs={"program": world.program.slug, "pk": action.pk})
    expected = count(client, path)
    grow_action(world, action)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["changes"]) == 17


def test_the_visit_and_action_history_endpoints_cost_the_same_as_history_grows(
    api_client, world, drafted, django_assert_num_queries
):
    visit = visit_days_ago(world)
    visit_edit(world, visit, notes="First edit")
    action = accepted_action(world, drafted)
    api_client.force_authenticate(world.coach)
    base = f"/api/v1/programs/{world.program.slug}"
    visit_path = f"{base}/visits/{visit.pk}/history/"
    action_path = f"{base}/plan-actions/{action.pk}/history/"
    visit_cost, action_cost = count(api_client, visit_path), count(api_client, action_path)
    grow_visit(world, visit)
    grow_action(world, action)
    with django_assert_num_queries(visit_cost):
        assert len(api_client.get(visit_path).json()) == 9
    with django_assert_num_queries(action_cost):
        assert len(api_client.get(action_path).json()) == 17
