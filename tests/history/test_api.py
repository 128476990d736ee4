"""GET plans/{id}/history/, assessments/{id}/history/, visits/{id}/history/ and
plan-actions/{id}/history/: the same history as the pages, in the same shape on the four routes,
with the same reach rules (404 out of reach)."""

import pytest

from coaching.actions import services as action_services
from coaching.plans import services
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, answer, build_instrument, open_round
from tests.coaching.helpers import assessment_in, instrument_in, make_acceptable
from tests.factories import VisitFactory
from tests.history.helpers import visit_days_ago, visit_edit

LINE_FIELDS = {"id", "what", "summary", "changes", "changed_by", "changed_at"}


def api(world, path: str) -> str:
    return f"/api/v1/programs/{world.program.slug}/{path}"


def test_a_plans_history_lists_changes_newest_first_with_who(api_client, world, drafted):
    with program_scope(world.program):
        services.plan_update(
            program=world.program, plan=drafted.plan, by=world.lead, data={"title": "Ours"}
        )
    api_client.force_authenticate(world.staff)
    response = api_client.get(api(world, f"plans/{drafted.plan.pk}/history/"))
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [row["what"] for row in rows] == ["plan.edited", "plan.drafted"]
    assert rows[0]["changes"]["title"][1] == "Ours"
    assert rows[0]["changed_by"]["id"] == world.lead.pk
    assert rows[1]["changed_by"]["id"] == world.coach.pk


@pytest.mark.parametrize("who", ["coach", "lead", "staff"])
def test_a_plan_out_of_reach_answers_404(api_client, world, who):
    _, version, _ = instrument_in(world.program, key="other")
    assessment = assessment_in(world.program, world.other_practice, version, {"workflow": 30})
    with program_scope(world.program):
        plan = services.plan_draft_from_assessment(
            program=world.program, assessment=assessment, by=world.admin
        )
    api_client.force_authenticate(world.user(who))
    assert api_client.get(api(world, f"plans/{plan.pk}/history/")).status_code == 404


def test_a_rounds_history_lists_opening_and_submitted_answers(api_client, world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    api_client.force_authenticate(world.manager)
    response = api_client.get(api(world, f"assessments/{round_.pk}/history/"))
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [row["what"] for row in rows] == ["response.submitted", "assessment.opened"]
    assert rows[0]["changed_by"]["id"] == world.staff.pk


@pytest.mark.parametrize("who", ["coach", "lead", "staff"])
def test_a_round_out_of_reach_answers_404(api_client, world, who):
    other = open_round(
        world,
        build_instrument(world.program, key="x"),
        practice=world.other_practice,
        by=world.admin,
    )
    api_client.force_authenticate(world.user(who))
    assert api_client.get(api(world, f"assessments/{other.pk}/history/")).status_code == 404


def test_a_visits_history_lists_its_late_edits_with_who_and_why(api_client, world):
    visit = visit_days_ago(world, notes="First notes")
    visit_edit(world, visit, notes="Better notes", reason="Typo")
    api_client.force_authenticate(world.lead)
    response = api_client.get(api(world, f"visits/{visit.pk}/history/"))
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert row["what"] == "visit.edited"
    assert row["changes"] == {"notes": ["First notes", "Better notes"]}
    assert row["summary"] == "Visit edited after its day: notes. Why: Typo"
    assert row["changed_by"]["id"] == world.coach.pk


def test_an_actions_history_lists_its_moves_and_its_plans_lines_about_it(
    api_client, world, drafted
):
    make_acceptable(world, drafted.plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)
        action = drafted.plan.actions.order_by("pk").first()
        action_services.action_update(
            program=world.program, action=action, by=world.coach, data={"title": "Renamed"}
        )
        action_services.action_status_change(
            program=world.program, action=action, status="done", by=world.staff, note="Done."
        )
    api_client.force_authenticate(world.staff)
    response = api_client.get(api(world, f"plan-actions/{action.pk}/history/"))
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [row["what"] for row in rows] == ["action.moved", "action.edited", "action.added"]
    assert rows[0]["changes"]["status"] == ["open", "done"]
    assert rows[1]["changes"] == {"title": [action.title, "Renamed"]}


@pytest.mark.parametrize("who", ["coach", "lead", "staff"])
def test_a_visit_out_of_reach_has_no_history_for_you(api_client, world, who):
    visit = VisitFactory(
        program=world.program, practice=world.other_practice, coach=world.other_coach
    )
    api_client.force_authenticate(world.user(who))
    assert api_client.get(api(world, f"visits/{visit.pk}/history/")).status_code == 404


def test_the_four_history_routes_answer_in_the_same_shape(api_client, world, drafted, round_):
    visit = visit_days_ago(world)
    visit_edit(world, visit, notes="Later")
    with program_scope(world.program):
        action = drafted.plan.actions.order_by("pk").first()
    api_client.force_authenticate(world.admin)
    paths = [
        f"plans/{drafted.plan.pk}/history/",
        f"assessments/{round_.pk}/history/",
        f"visits/{visit.pk}/history/",
        f"plan-actions/{action.pk}/history/",
    ]
    for path in paths:
        rows = api_client.get(api(world, path)).json()
        assert rows, path
        for row in rows:
            assert set(row) == LINE_FIELDS, path
            assert isinstance(row["changes"], dict) and row["what"] and row["summary"]
            assert set(row["changed_by"]) == {"id", "full_name", "email"}
