"""The plans API: plans (drafted from assessments, accepted, completed), their goals and actions,
in the one error format."""

import pytest

from coaching.models import ActionStatus, PlanAction, PlanGoal, PlanStatus, SupportPlan
from coaching.plans import services
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import assessment_in, idea_in, instrument_in, make_acceptable


def api(world, path: str) -> str:
    return f"/api/v1/programs/{world.program.slug}/{path}"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def in_scope(world, fn):
    with program_scope(world.program):
        return fn()


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error format: {"error": {"status", "code", "message"[, "fields"]}}."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return error


def accept(world, plan):
    make_acceptable(world, plan)
    with program_scope(world.program):
        return services.plan_accept(program=world.program, plan=plan, by=world.coach)


def first_action(world, plan) -> PlanAction:
    return in_scope(
        world,
        lambda: PlanAction.objects.filter(plan=plan).order_by("goal__position", "position")[0],
    )


def first_goal(world, plan) -> PlanGoal:
    return in_scope(world, lambda: PlanGoal.objects.filter(plan=plan).order_by("position")[0])


@pytest.fixture
def assessment(world):
    _, version, _ = instrument_in(world.program)
    return assessment_in(world.program, world.practice, version, {"workflow": 30, "privacy": 90})


# Plans -------------------------------------------------------------------------------------


def test_a_coach_drafts_a_plan_from_an_assessment_id(api_client, world, assessment):
    response = as_user(api_client, world.coach).post(
        api(world, "plans/"), {"assessment": assessment.pk, "program": 999}
    )

    body = response.json()
    assert response.status_code == 201, body
    assert body["status"] == "draft"
    assert body["assessment"] == assessment.pk
    assert body["practice"] == world.practice.pk
    assert [g["domain_key"] for g in body["goals"]] == ["workflow"]
    assert "program" not in body
    assert in_scope(world, lambda: SupportPlan.objects.get(pk=body["id"])).program == world.program


def test_drafting_twice_from_one_assessment_is_a_field_error(api_client, world, drafted):
    response = as_user(api_client, world.coach).post(
        api(world, "plans/"), {"assessment": drafted.assessment.pk}
    )

    error = assert_error(response, 400, "invalid")
    assert "already drafted" in error["fields"]["assessment"][0]
    assert in_scope(world, lambda: SupportPlan.objects.count()) == 1


def test_an_assessment_of_another_program_is_a_field_error(api_client, world, other_world):
    _, version, _ = instrument_in(other_world.program)
    theirs = assessment_in(other_world.program, other_world.practice, version, {"workflow": 9})

    response = as_user(api_client, world.admin).post(
        api(world, "plans/"), {"assessment": theirs.pk}
    )

    error = assert_error(response, 400, "invalid")
    assert error["fields"]["assessment"] == [f"No assessment with id {theirs.pk} in this program."]
    assert SupportPlan.all_programs.count() == 0


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_those_who_do_not_edit_plans_cannot_draft_one(api_client, world, assessment, who):
    response = as_user(api_client, world.user(who)).post(
        api(world, "plans/"), {"assessment": assessment.pk}
    )

    assert_error(response, 403)
    assert in_scope(world, lambda: SupportPlan.objects.count()) == 0


def test_plans_list_with_progress_and_filter_by_practice_and_status(api_client, world, drafted):
    accept(world, drafted.plan)
    client = as_user(api_client, world.manager)

    listed = client.get(api(world, "plans/")).json()
    by_status = client.get(api(world, "plans/?status=draft")).json()
    by_practice = client.get(api(world, f"plans/?practice={world.other_practice.pk}")).json()

    [row] = listed["results"]
    assert row["status"] == "active"
    assert row["progress"] == {
        "goals_achieved": 0,
        "goals_total": 2,
        "actions_done": 0,
        "actions_total": 5,
        "percent": 0,
    }
    assert len(by_status["results"]) == 0
    assert len(by_practice["results"]) == 0


def test_a_coach_lists_only_plans_of_their_caseload(api_client, world, drafted):
    response = as_user(api_client, world.other_coach).get(api(world, "plans/"))

    assert len(response.json()["results"]) == 0
    assert_error(
        as_user(api_client, world.other_coach).get(api(world, f"plans/{drafted.plan.pk}/")), 404
    )


def test_a_plan_reads_in_full_with_goals_and_actions(api_client, world, drafted):
    response = as_user(api_client, world.staff).get(api(world, f"plans/{drafted.plan.pk}/"))

    body = response.json()
    assert response.status_code == 200
    workflow = body["goals"][0]
    assert workflow["change_idea"] == drafted.ideas["workflow"].pk
    assert workflow["change_idea_goal"] == "Offer same-day appointments"
    assert [a["title"] for a in workflow["actions"]][:1] == ["Measure third-next-available"]


def test_a_plans_title_and_summary_change_but_not_its_status(api_client, world, drafted):
    response = as_user(api_client, world.lead).patch(
        api(world, f"plans/{drafted.plan.pk}/"),
        {"title": "Our plan", "summary": "Agreed.", "status": "completed"},
    )

    assert response.status_code == 200, response.content
    plan = in_scope(world, lambda: SupportPlan.objects.get(pk=drafted.plan.pk))
    assert (plan.title, plan.summary, plan.status) == ("Our plan", "Agreed.", PlanStatus.DRAFT)


def test_accepting_an_incomplete_plan_names_what_is_missing(api_client, world, drafted):
    response = as_user(api_client, world.coach).post(api(world, f"plans/{drafted.plan.pk}/accept/"))

    error = assert_error(response, 400, "invalid")
    missing = error["fields"]["non_field_errors"]
    assert len(missing) == 5
    assert all("needs an owner and a due date" not in m or "Action" in m for m in missing)
    assert in_scope(world, lambda: SupportPlan.objects.get(pk=drafted.plan.pk)).status == "draft"


def test_accept_then_complete_through_the_api(api_client, world, drafted):
    make_acceptable(world, drafted.plan)
    client = as_user(api_client, world.coach)

    accepted = client.post(api(world, f"plans/{drafted.plan.pk}/accept/"))
    completed = client.post(api(world, f"plans/{drafted.plan.pk}/complete/"))

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "active"
    assert completed.json()["status"] == "completed"


def test_accepting_a_second_active_plan_needs_complete_active(api_client, world, drafted):
    accept(world, drafted.plan)
    _, version, _ = instrument_in(world.program, key="follow-up")
    follow_up = assessment_in(world.program, world.practice, version, {"workflow": 10})
    with program_scope(world.program):
        second = services.plan_draft_from_assessment(
            program=world.program, assessment=follow_up, by=world.coach
        )
    make_acceptable(world, second)
    client = as_user(api_client, world.coach)

    refused = client.post(api(world, f"plans/{second.pk}/accept/"))
    accepted = client.post(api(world, f"plans/{second.pk}/accept/"), {"complete_active": True})

    error = assert_error(refused, 400, "invalid")
    assert drafted.plan.title in error["fields"]["complete_active"][0]
    assert accepted.json()["status"] == "active"
    old = in_scope(world, lambda: SupportPlan.objects.get(pk=drafted.plan.pk))
    assert old.status == PlanStatus.COMPLETED


def test_a_draft_is_discarded_with_delete_but_an_active_plan_is_not(api_client, world, drafted):
    client = as_user(api_client, world.coach)
    accept(world, drafted.plan)

    refused = client.delete(api(world, f"plans/{drafted.plan.pk}/"))

    assert_error(refused, 400)
    assert in_scope(world, lambda: SupportPlan.objects.count()) == 1


def test_another_programs_plan_answers_404(api_client, world, other_world, drafted):
    response = as_user(api_client, other_world.admin).get(
        f"/api/v1/programs/{other_world.program.slug}/plans/{drafted.plan.pk}/"
    )

    assert_error(response, 404)


# Goals -------------------------------------------------------------------------------------


def test_a_goal_of_the_practices_own_is_added_to_a_plan(api_client, world, drafted):
    response = as_user(api_client, world.coach).post(
        api(world, "plan-goals/"),
        {
            "plan": drafted.plan.pk,
            "title": "Name a privacy lead",
            "measure": "Named in the handbook",
            "target_date": "2030-06-30",
            "domain_key": "privacy",
        },
    )

    body = response.json()
    assert response.status_code == 201, body
    assert (body["domain_name"], body["baseline_percent"]) == ("Privacy and consent", "80.0")
    assert body["status"] == "open"


def test_a_goal_from_the_library_brings_its_actions(api_client, world, drafted):
    response = as_user(api_client, world.coach).post(
        api(world, "plan-goals/"),
        {"plan": drafted.plan.pk, "change_idea": drafted.ideas["team-roles"].pk},
    )

    body = response.json()
    assert response.status_code == 201, body
    assert body["title"] == "Write down who does what"
    actions = as_user(api_client, world.coach).get(api(world, f"plan-actions/?goal={body['id']}"))
    assert [a["title"] for a in actions.json()["results"]] == ["Draft a RACI"]


def test_foreign_plan_and_change_idea_ids_are_field_errors(api_client, world, other_world, drafted):
    other_instrument, _, _ = instrument_in(other_world.program)
    theirs = idea_in(other_world.program, other_instrument, "workflow", "Their idea")
    client = as_user(api_client, world.admin)

    bad_idea = client.post(
        api(world, "plan-goals/"), {"plan": drafted.plan.pk, "change_idea": theirs.pk}
    )
    bad_plan = client.post(api(world, "plan-goals/"), {"plan": 99999, "title": "X"})

    assert "change_idea" in assert_error(bad_idea, 400, "invalid")["fields"]
    assert "plan" in assert_error(bad_plan, 400, "invalid")["fields"]
    assert in_scope(world, lambda: PlanGoal.objects.count()) == 2


def test_a_goal_without_a_title_or_idea_is_a_field_error(api_client, world, drafted):
    response = as_user(api_client, world.coach).post(
        api(world, "plan-goals/"), {"plan": drafted.plan.pk}
    )

    assert "title" in assert_error(response, 400, "invalid")["fields"]


def test_a_goals_status_changes_only_once_the_plan_is_active(api_client, world, drafted):
    goal = first_goal(world, drafted.plan)
    client = as_user(api_client, world.coach)

    refused = client.patch(api(world, f"plan-goals/{goal.pk}/"), {"status": "achieved"})
    accept(world, drafted.plan)
    done = client.patch(api(world, f"plan-goals/{goal.pk}/"), {"status": "achieved"})

    assert "status" in assert_error(refused, 400)["fields"]
    assert done.json()["status"] == "achieved"


def test_a_goal_cannot_move_to_another_plan_or_change_its_idea_by_update(
    api_client, world, drafted
):
    goal = first_goal(world, drafted.plan)

    response = as_user(api_client, world.coach).patch(
        api(world, f"plan-goals/{goal.pk}/"), {"change_idea": drafted.ideas["workflow-2"].pk}
    )

    assert "swap" in assert_error(response, 400)["fields"]["change_idea"][0]


def test_a_goal_swaps_its_idea(api_client, world, drafted):
    goal = first_goal(world, drafted.plan)

    response = as_user(api_client, world.coach).post(
        api(world, f"plan-goals/{goal.pk}/swap/"), {"change_idea": drafted.ideas["workflow-2"].pk}
    )

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Plan the day in a morning huddle"


def test_staff_cannot_edit_goals(api_client, world, drafted):
    goal = first_goal(world, drafted.plan)

    response = as_user(api_client, world.staff).patch(
        api(world, f"plan-goals/{goal.pk}/"), {"title": "Mine now"}
    )

    assert_error(response, 403)
    assert first_goal(world, drafted.plan).title == goal.title


# Actions -----------------------------------------------------------------------------------


def test_an_action_is_added_with_an_owner_and_due_date(api_client, world, drafted):
    goal = first_goal(world, drafted.plan)

    response = as_user(api_client, world.coach).post(
        api(world, "plan-actions/"),
        {
            "goal": goal.pk,
            "title": "Call the vendor",
            "owner": world.staff.pk,
            "due_on": "2030-01-01",
        },
    )

    body = response.json()
    assert response.status_code == 201, body
    assert (body["plan"], body["owner"], body["owner_name"]) == (
        drafted.plan.pk,
        world.staff.pk,
        world.staff.full_name,
    )


def test_an_owner_from_another_program_is_a_field_error_in_the_one_format(
    api_client, world, other_world, drafted
):
    goal = first_goal(world, drafted.plan)

    response = as_user(api_client, world.coach).post(
        api(world, "plan-actions/"),
        {"goal": goal.pk, "title": "Call", "owner": other_world.lead.pk},
    )

    error = assert_error(response, 400, "invalid")
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["fields"] == {
        "owner": [f"No person with id {other_world.lead.pk} in this program."]
    }


def test_a_manager_of_the_program_cannot_own_an_action(api_client, world, drafted):
    action = first_action(world, drafted.plan)

    response = as_user(api_client, world.coach).patch(
        api(world, f"plan-actions/{action.pk}/"), {"owner": world.manager.pk}
    )

    assert "owner" in assert_error(response, 400, "invalid")["fields"]
    assert first_action(world, drafted.plan).owner is None


def test_staff_move_an_action_through_the_status_endpoint(api_client, world, drafted):
    accept(world, drafted.plan)
    action = first_action(world, drafted.plan)

    response = as_user(api_client, world.staff).post(
        api(world, f"plan-actions/{action.pk}/status/"), {"status": "done", "note": "Measured."}
    )

    body = response.json()
    assert response.status_code == 200, body
    assert (body["status"], body["status_note"]) == ("done", "Measured.")
    assert body["completed_at"]


def test_dropping_an_action_without_a_reason_is_a_field_error(api_client, world, drafted):
    accept(world, drafted.plan)
    action = first_action(world, drafted.plan)

    response = as_user(api_client, world.staff).post(
        api(world, f"plan-actions/{action.pk}/status/"), {"status": "dropped"}
    )

    assert assert_error(response, 400, "invalid")["fields"] == {
        "note": ["Say why the action is dropped."]
    }
    assert first_action(world, drafted.plan).status == ActionStatus.OPEN


def test_staff_cannot_edit_or_remove_actions(api_client, world, drafted):
    action = first_action(world, drafted.plan)
    client = as_user(api_client, world.staff)

    assert_error(client.patch(api(world, f"plan-actions/{action.pk}/"), {"title": "X"}), 403)
    assert_error(client.delete(api(world, f"plan-actions/{action.pk}/")), 403)
    assert first_action(world, drafted.plan).title == action.title


def test_a_manager_cannot_move_an_action(api_client, world, drafted):
    accept(world, drafted.plan)
    action = first_action(world, drafted.plan)

    response = as_user(api_client, world.manager).post(
        api(world, f"plan-actions/{action.pk}/status/"), {"status": "done"}
    )

    assert_error(response, 403)


def test_my_open_actions_filter_by_owner_and_status(api_client, world, drafted):
    accept(world, drafted.plan)
    action = first_action(world, drafted.plan)
    with program_scope(world.program):
        PlanAction.objects.filter(pk=action.pk).update(owner=world.staff)

    response = as_user(api_client, world.staff).get(
        api(world, f"plan-actions/?owner={world.staff.pk}&status=open&status=in_progress")
    )

    assert [row["id"] for row in response.json()["results"]] == [action.pk]


def test_an_action_is_removed(api_client, world, drafted):
    action = first_action(world, drafted.plan)

    response = as_user(api_client, world.lead).delete(api(world, f"plan-actions/{action.pk}/"))

    assert response.status_code == 204
    assert not in_scope(world, lambda: PlanAction.objects.filter(pk=action.pk).exists())
