"""The PDSA pages: the goal lists its cycles on the plan page, a coach plans a cycle and moves
it on (errors beside the fields), an adapted cycle leads to the next one filled in, and the
roles that only see plans can read cycles but not change them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import PdsaCycle, PdsaStage
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.coaching.plans.test_queries import queries_for

TODAY = timezone.localdate()


def url(name, world, **kwargs):
    return reverse(f"plans:{name}", kwargs={"program": world.program.slug, **kwargs})


def cycles(world):
    with program_scope(world.program):
        return list(PdsaCycle.objects.order_by("pk"))


def ended_cycle(s, decision="adapt", **extra):
    with program_scope(s.world.program):
        return f.PdsaCycleFactory(
            program=s.world.program,
            goal=s.goal,
            stage=PdsaStage.ENDED,
            started_on=TODAY - timedelta(days=40),
            what_done="Reminders sent by text every Monday.",
            result="Missed appointments fell from 12% to 9%, short of the 8% predicted.",
            studied_on=TODAY - timedelta(days=10),
            decision=decision,
            ended_on=TODAY - timedelta(days=5),
            number=PdsaCycle.objects.filter(goal=s.goal).count() + 1,
            **extra,
        )


def test_the_goal_on_the_plan_page_shows_its_cycles(client, pdsa_world):
    s = pdsa_world
    ended_cycle(s)
    client.force_login(s.world.staff)

    page = client.get(s.plan.get_absolute_url()).content.decode()

    assert "Cycle 1: Text reminders two days before each appointment" in page
    assert "Ended: adapt" in page
    assert "short of the 8% predicted" in page
    assert "Missed appointments fall from 12% to under 8%" in page
    assert url("pdsa_add", s.world, plangoal_pk=s.goal.pk) not in page  # staff cannot edit


def test_a_coach_plans_a_cycle_from_the_goal(client, pdsa_world):
    s = pdsa_world
    client.force_login(s.world.coach)
    add = url("pdsa_add", s.world, plangoal_pk=s.goal.pk)
    assert add in client.get(s.plan.get_absolute_url()).content.decode()
    form = client.get(add)
    assert form.context["form"].initial["kpi_key"] == "no-show-rate"

    response = client.post(
        add,
        {
            "change_idea": "Confirm by phone the day before",
            "prediction": "Missed appointments under 8% in four weeks",
            "kpi_key": "",
            "planned_start": "",
        },
    )

    (cycle,) = cycles(s.world)
    assert response.status_code == 302
    assert response["Location"] == cycle.get_absolute_url()
    assert (cycle.change_idea, cycle.kpi_key, cycle.stage) == (
        "Confirm by phone the day before",
        "no-show-rate",
        PdsaStage.PLAN,
    )


def test_a_cycle_without_a_prediction_is_refused_beside_the_field(client, pdsa_world):
    s = pdsa_world
    client.force_login(s.world.lead)
    response = client.post(
        url("pdsa_add", s.world, plangoal_pk=s.goal.pk),
        {"change_idea": "Confirm by phone", "prediction": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["prediction"]
    assert 'aria-describedby="id_prediction_error' in response.content.decode() or (
        "form-field--invalid" in response.content.decode()
    )
    assert cycles(s.world) == []


def test_a_coach_moves_a_cycle_on_from_its_page(client, pdsa_world):
    s = pdsa_world
    with program_scope(s.world.program):
        cycle = f.PdsaCycleFactory(program=s.world.program, goal=s.goal)
    client.force_login(s.world.coach)
    page = client.get(cycle.get_absolute_url())
    assert page.context["move_label"] == "Start the test"

    started = client.post(
        url("pdsa_move", s.world, pdsacycle_pk=cycle.pk),
        {"from_stage": "plan", "started_on": TODAY.isoformat()},
    )
    refused = client.post(
        url("pdsa_move", s.world, pdsacycle_pk=cycle.pk), {"from_stage": "do", "what_done": ""}
    )

    assert started.status_code == 302
    assert refused.status_code == 200 and refused.context["form"].errors["what_done"]
    (stored,) = cycles(s.world)
    assert (stored.stage, stored.started_on) == (PdsaStage.DO, TODAY)


def test_adapting_a_cycle_opens_the_next_one_filled_in(client, pdsa_world):
    s = pdsa_world
    with program_scope(s.world.program):
        cycle = f.PdsaCycleFactory(
            program=s.world.program,
            goal=s.goal,
            stage=PdsaStage.ACT,
            started_on=TODAY - timedelta(days=30),
            what_done="Reminders sent",
            result="Fell to 10%",
            studied_on=TODAY - timedelta(days=3),
            number=1,
        )
    client.force_login(s.world.coach)

    response = client.post(
        url("pdsa_move", s.world, pdsacycle_pk=cycle.pk),
        {
            "from_stage": "act",
            "decision": "adapt",
            "act_notes": "Send them three days ahead",
            "ended_on": TODAY.isoformat(),
            "plan_next": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?after={cycle.pk}")
    form = client.get(response["Location"])
    assert form.context["form"].initial["change_idea"] == cycle.change_idea
    assert form.context["number"] == 2

    client.post(
        response["Location"],
        {"after": cycle.pk, "change_idea": cycle.change_idea, "prediction": "Under 8% now"},
    )
    first, second = cycles(s.world)
    assert (second.number, second.previous_id) == (2, first.pk)


@pytest.mark.parametrize(
    ("role", "status"), [("manager", 403), ("staff", 403), ("other_coach", 404)]
)
def test_who_may_only_see_plans_cannot_plan_or_move_cycles(client, pdsa_world, role, status):
    s = pdsa_world
    with program_scope(s.world.program):
        cycle = f.PdsaCycleFactory(program=s.world.program, goal=s.goal)
    client.force_login(s.world.user(role))

    seen = client.get(cycle.get_absolute_url())
    added = client.post(
        url("pdsa_add", s.world, plangoal_pk=s.goal.pk),
        {"change_idea": "Ours", "prediction": "Ours"},
    )
    moved = client.post(
        url("pdsa_move", s.world, pdsacycle_pk=cycle.pk), {"started_on": TODAY.isoformat()}
    )

    assert seen.status_code == (200 if status == 403 else 404)
    if status == 403:
        assert "move_form" not in seen.context
    assert (added.status_code, moved.status_code) == (status, status)
    assert [c.stage for c in cycles(s.world)] == [PdsaStage.PLAN]


def test_the_plan_page_costs_the_same_with_more_cycles(
    client, pdsa_world, django_assert_num_queries
):
    s = pdsa_world
    ended_cycle(s)
    client.force_login(s.world.coach)
    path = s.plan.get_absolute_url()
    expected = queries_for(client, path)

    for decision in ("adopt", "abandon", "adapt"):
        ended_cycle(s, decision=decision)

    with django_assert_num_queries(expected):
        client.get(path)


def test_a_cycle_can_be_moved_on_from_a_page_of_its_own(client, pdsa_world):
    s = pdsa_world
    with program_scope(s.world.program):
        cycle = f.PdsaCycleFactory(program=s.world.program, goal=s.goal, number=1)
    client.force_login(s.world.lead)
    page = client.get(url("pdsa_move", s.world, pdsacycle_pk=cycle.pk))
    assert page.status_code == 200
    assert "Start the test" in page.content.decode()
