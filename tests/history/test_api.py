"""GET plans/{id}/history/ and assessments/{id}/history/: the same history as the pages, with
the same reach rules (404 out of reach)."""

import pytest

from coaching.plans import services
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, answer, build_instrument, open_round
from tests.coaching.helpers import assessment_in, instrument_in


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
