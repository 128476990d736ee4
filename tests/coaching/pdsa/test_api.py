"""GET/POST/PATCH …/pdsa-cycles/ and POST …/pdsa-cycles/{id}/move/: filters, planning and moving
cycles through the services, ids looked up inside the caller's reach, and a fixed query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import PdsaCycle, PdsaStage
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.coaching.plans.test_queries import queries_for

TODAY = timezone.localdate()


def base(world) -> str:
    return f"/api/v1/programs/{world.program.slug}/pdsa-cycles/"


def cycle_on(s, goal=None, **extra):
    goal = goal or s.goal
    with program_scope(s.world.program):
        number = PdsaCycle.objects.filter(goal=goal).count() + 1
        return f.PdsaCycleFactory(program=s.world.program, goal=goal, number=number, **extra)


def test_a_coach_plans_a_cycle_and_moves_it_through_to_its_decision(api_client, pdsa_world):
    s = pdsa_world
    api_client.force_authenticate(s.world.coach)
    created = api_client.post(
        base(s.world),
        {"goal": s.goal.pk, "change_idea": "Huddle at 8:15", "prediction": "Fewer gaps"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["stage"], body["kpi_key"], body["practice"]) == (
        "plan",
        "no-show-rate",
        s.world.practice.pk,
    )
    move = f"{base(s.world)}{body['id']}/move/"
    steps = [
        {"started_on": (TODAY - timedelta(days=20)).isoformat()},
        {"what_done": "Daily huddle for three weeks"},
        {"result": "Two fewer gaps a day", "studied_on": TODAY.isoformat()},
        {"decision": "adopt", "ended_on": TODAY.isoformat()},
    ]
    stages = [api_client.post(move, step, format="json").json()["stage"] for step in steps]
    assert stages == ["do", "study", "act", "ended"]
    again = api_client.post(move, {"started_on": TODAY.isoformat()}, format="json")
    assert again.status_code == 400


def test_a_move_missing_its_date_is_a_field_error(api_client, pdsa_world):
    s = pdsa_world
    cycle = cycle_on(s)
    api_client.force_authenticate(s.world.lead)
    response = api_client.post(f"{base(s.world)}{cycle.pk}/move/", {}, format="json")
    assert response.status_code == 400
    assert "started_on" in response.json()["error"]["fields"]


def test_a_goal_out_of_reach_is_the_same_error_as_one_that_does_not_exist(api_client, pdsa_world):
    s = pdsa_world
    api_client.force_authenticate(s.world.coach)
    answers = [
        api_client.post(
            base(s.world), {"goal": pk, "change_idea": "x", "prediction": "y"}, format="json"
        )
        for pk in (s.other_goal.pk, 999_999)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    messages = [a.json()["error"]["fields"]["goal"] for a in answers]
    assert "in this program" in messages[0][0]
    with program_scope(s.world.program):
        assert not PdsaCycle.objects.exists()


def test_patch_corrects_the_plan_but_not_the_stage(api_client, pdsa_world):
    s = pdsa_world
    cycle = cycle_on(s)
    api_client.force_authenticate(s.world.coach)
    url = f"{base(s.world)}{cycle.pk}/"
    changed = api_client.patch(url, {"prediction": "Under 7%"}, format="json")
    refused = api_client.patch(url, {"what_done": "Nothing yet"}, format="json")
    staged = api_client.patch(url, {"stage": "ended"}, format="json")
    assert changed.status_code == 200 and changed.json()["prediction"] == "Under 7%"
    assert refused.status_code == 400
    assert staged.json()["stage"] == "plan"


def test_the_list_filters_by_practice_goal_stage_and_kpi(api_client, pdsa_world):
    s = pdsa_world
    running = cycle_on(s, stage=PdsaStage.DO, started_on=TODAY)
    other_kpi = cycle_on(s, kpi_key="same-day-access")
    elsewhere = cycle_on(s, goal=s.other_goal)
    api_client.force_authenticate(s.world.manager)

    def ids(query):
        return {row["id"] for row in api_client.get(base(s.world) + query).json()["results"]}

    assert ids("") == {running.pk, other_kpi.pk, elsewhere.pk}
    assert ids(f"?practice={s.world.other_practice.pk}") == {elsewhere.pk}
    assert ids(f"?goal={s.goal.pk}") == {running.pk, other_kpi.pk}
    assert ids("?stage=do") == {running.pk}
    assert ids("?kpi=same-day-access") == {other_kpi.pk}


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_roles_that_only_see_plans_read_cycles_but_cannot_write(api_client, pdsa_world, role):
    s = pdsa_world
    cycle = cycle_on(s)
    api_client.force_authenticate(s.world.user(role))
    assert api_client.get(f"{base(s.world)}{cycle.pk}/").status_code == 200
    moved = api_client.post(
        f"{base(s.world)}{cycle.pk}/move/", {"started_on": TODAY.isoformat()}, format="json"
    )
    created = api_client.post(
        base(s.world), {"goal": s.goal.pk, "change_idea": "x", "prediction": "y"}, format="json"
    )
    assert (moved.status_code, created.status_code) == (403, 403)


def test_the_list_costs_the_same_for_one_cycle_and_many(
    api_client, pdsa_world, django_assert_num_queries
):
    s = pdsa_world
    cycle_on(s)
    api_client.force_authenticate(s.world.coach)
    expected = queries_for(api_client, base(s.world))
    for _ in range(5):
        cycle_on(s)
    with django_assert_num_queries(expected):
        api_client.get(base(s.world))
