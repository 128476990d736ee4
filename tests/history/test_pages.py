"""The History pages of a plan, an assessment round and a visit, and the history on an action's
page: who changed what, and when, read the same on each (one include), for everyone who may see
the subject; 404 for anyone it is out of reach of."""

import pytest
from django.urls import reverse

from coaching.actions import services as action_services
from coaching.models import PlanGoal
from coaching.plans import services
from psp.history.models import ChangeRecord
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import build_instrument, open_round
from tests.coaching.helpers import assessment_in, drafted_setup, instrument_in, make_acceptable
from tests.history.helpers import plan_history, visit_days_ago, visit_edit


def plan_history_url(world, plan) -> str:
    return reverse("plans:history", kwargs={"program": world.program.slug, "pk": plan.pk})


def round_history_url(world, assessment) -> str:
    return reverse(
        "assessments:history", kwargs={"program": world.program.slug, "pk": assessment.pk}
    )


@pytest.mark.parametrize("who", ["admin", "manager", "coach", "lead", "staff"])
def test_everyone_who_sees_the_plan_sees_who_changed_what(client, world, drafted, who):
    with program_scope(world.program):
        goal = PlanGoal.objects.filter(plan=drafted.plan).first()
        services.goal_update(
            program=world.program, goal=goal, by=world.lead, data={"measure": "Under 3 days"}
        )
    client.force_login(world.user(who))
    response = client.get(plan_history_url(world, drafted.plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>History</h1>" in page
    assert f"Goal “{goal.title}”: measurable target" in page
    assert "Measurable target:" in page and "Under 3 days" in page
    assert str(world.lead) in page and str(world.coach) in page
    assert 'data-label="Who"' in page


@pytest.mark.parametrize("who", ["coach", "lead", "staff"])
def test_a_plan_out_of_reach_has_no_history_page(client, world, who):
    other = drafted_setup_for_other_practice(world)
    client.force_login(world.user(who))
    assert client.get(plan_history_url(world, other)).status_code == 404


def drafted_setup_for_other_practice(world):
    _, version, _ = instrument_in(world.program, key="other-readiness")
    assessment = assessment_in(world.program, world.other_practice, version, {"workflow": 30})
    with program_scope(world.program):
        return services.plan_draft_from_assessment(
            program=world.program, assessment=assessment, by=world.other_coach
        )


def test_another_programs_member_gets_404(client, world, other_world, drafted):
    client.force_login(other_world.admin)
    kwargs = {"program": other_world.program.slug, "pk": drafted.plan.pk}
    url = reverse("plans:history", kwargs=kwargs)
    assert client.get(url).status_code == 404


def test_the_plan_page_links_to_its_history(client, world, drafted):
    client.force_login(world.staff)
    page = client.get(drafted.plan.get_absolute_url()).content.decode()
    assert plan_history_url(world, drafted.plan) in page


def test_a_discarded_draft_keeps_its_history_but_the_page_is_gone(client, world, drafted):
    with program_scope(world.program):
        services.plan_discard(program=world.program, plan=drafted.plan, by=world.coach)
    assert [line.what for line in plan_history(world, drafted.plan)][0] == "plan.discarded"
    client.force_login(world.admin)
    assert client.get(plan_history_url(world, drafted.plan)).status_code == 404


@pytest.mark.parametrize("who", ["admin", "manager", "coach", "lead", "staff"])
def test_everyone_who_sees_the_round_sees_its_history(client, world, round_, who):
    client.force_login(world.user(who))
    response = client.get(round_history_url(world, round_))
    assert response.status_code == 200
    page = response.content.decode()
    assert "round of" in page and "opened" in page
    assert str(world.lead) in page


@pytest.mark.parametrize("who", ["coach", "lead", "staff"])
def test_a_round_out_of_reach_has_no_history_page(client, world, who):
    version = build_instrument(world.program, key="lakeside")
    other = open_round(world, version, practice=world.other_practice, by=world.admin)
    client.force_login(world.user(who))
    assert client.get(round_history_url(world, other)).status_code == 404


def test_the_round_page_links_to_its_history(client, world, round_):
    client.force_login(world.lead)
    detail = reverse("assessments:detail", kwargs={"program": world.program.slug, "pk": round_.pk})
    assert round_history_url(world, round_) in client.get(detail).content.decode()


def test_a_subject_without_history_says_so(client, world):
    setup = drafted_setup(world)
    with program_scope(world.program):
        ChangeRecord.objects.all().delete()
    client.force_login(world.coach)
    page = client.get(plan_history_url(world, setup.plan)).content.decode()
    assert "No changes to this plan are recorded yet." in page


def visit_history_url(world, visit) -> str:
    return reverse("visits:history", kwargs={"program": world.program.slug, "pk": visit.pk})


@pytest.mark.parametrize("who", ["admin", "manager", "coach", "lead", "staff"])
def test_everyone_who_sees_the_visit_sees_who_changed_it_after_its_day(client, world, who):
    visit = visit_days_ago(world, notes="First notes")
    visit_edit(world, visit, notes="Better notes", travel_minutes=30, reason="Forgot travel")
    client.force_login(world.user(who))
    response = client.get(visit_history_url(world, visit))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>History of the visit</h1>" in page
    assert "Visit edited after its day: travel, notes. Why: Forgot travel" in page
    assert "Travel: 0 min → 30 min" in page
    assert "Notes: First notes → Better notes" in page
    assert str(world.coach) in page and 'data-label="Who"' in page


def test_a_visit_never_edited_after_its_day_says_so(client, world):
    visit = visit_days_ago(world)
    client.force_login(world.coach)
    page = client.get(visit_history_url(world, visit)).content.decode()
    assert "No changes to this visit are recorded yet." in page


def test_an_actions_page_shows_its_moves_and_edits_as_the_history_pages_do(client, world, drafted):
    make_acceptable(world, drafted.plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)
        action = drafted.plan.actions.order_by("pk").first()
        action_services.action_update(
            program=world.program, action=action, by=world.coach, data={"owner": world.staff}
        )
        action_services.action_status_change(
            program=world.program, action=action, status="in_progress", by=world.staff
        )
    client.force_login(world.lead)
    url = reverse("actions:detail", kwargs={"program": world.program.slug, "pk": action.pk})
    page = client.get(url).content.decode()
    assert 'class="table table--responsive history-table"' in page
    assert "Status: open → in_progress" in page
    assert f"Owner: {world.lead} → {world.staff}" in page
    assert f"Action “{action.title}” added, open." in page
