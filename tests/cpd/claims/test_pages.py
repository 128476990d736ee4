"""The claim button on goal, PDSA and assessment pages, the draft it opens, and the work to
claim on My CPD."""

import pytest
from django.urls import reverse

from cpd.models import CpdActivity
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.cpd.claims.conftest import achieved_goal
from tests.cpd.claims.helpers import draft

pytestmark = pytest.mark.django_db
BUTTON = "Draft a CPD claim from this"


def url(world, name, **kwargs):
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


def post_draft(client, world, source, source_id, **extra):
    return client.post(
        url(world, "cpd_claims:draft"), {"source": source, "source_id": source_id, **extra}
    )


def test_the_goal_on_the_plan_page_offers_a_claim_to_its_practice(client, world, qi):
    plan_url = url(world, "plans:detail", pk=qi.goal.plan_id)
    client.force_login(world.lead)
    assert BUTTON in client.get(plan_url).content.decode()

    answer = post_draft(client, world, "goal", qi.goal.pk, next=plan_url)

    with program_scope(world.program):
        activity = CpdActivity.objects.get(person=world.lead, source="goal")
    assert answer.status_code == 302
    assert answer["Location"] == url(world, "cpd:edit", pk=activity.pk)
    page = client.get(plan_url).content.decode()
    assert BUTTON not in page and "CPD claim drafted" in page
    assert url(world, "cpd:detail", pk=activity.pk) in page


@pytest.mark.parametrize("role", ["admin", "manager", "other_coach"])
def test_those_who_did_not_do_the_work_see_no_button(client, world, qi, role):
    client.force_login(world.user(role))
    page = client.get(url(world, "plans:detail", pk=qi.goal.plan_id))
    assert BUTTON not in page.content.decode()


def test_the_pdsa_and_assessment_pages_offer_a_claim(client, world, qi):
    client.force_login(world.lead)
    cycle_page = client.get(url(world, "plans:pdsa_detail", pdsacycle_pk=qi.cycle.pk))
    audit_page = client.get(url(world, "assessments:detail", pk=qi.audit.pk))
    assert BUTTON in cycle_page.content.decode()
    assert BUTTON in audit_page.content.decode()
    client.force_login(world.staff)  # did not answer the round
    assert (
        BUTTON not in client.get(url(world, "assessments:detail", pk=qi.audit.pk)).content.decode()
    )


def test_drafting_again_opens_the_same_draft(client, world, qi):
    client.force_login(world.lead)
    first = post_draft(client, world, "goal", qi.goal.pk)
    second = post_draft(client, world, "goal", qi.goal.pk)
    assert first["Location"] == second["Location"]
    with program_scope(world.program):
        assert CpdActivity.objects.filter(person=world.lead).count() == 1


def test_work_not_claimable_is_refused_with_the_reason(client, world, qi):
    with program_scope(world.program):
        open_goal = f.PlanGoalFactory(program=world.program, plan=qi.goal.plan)
    client.force_login(world.lead)
    answer = post_draft(client, world, "goal", open_goal.pk, next="https://evil.example.org/")
    assert answer["Location"] == url(world, "cpd:mine")
    page = client.get(answer["Location"]).content.decode()
    assert "claim it once it is achieved" in page
    with program_scope(world.program):
        assert not CpdActivity.objects.exists()


def test_work_out_of_reach_is_not_found(client, world, qi):
    client.force_login(world.lead)
    assert post_draft(client, world, "goal", qi.others.pk).status_code == 404
    assert post_draft(client, world, "goal", "nonsense").status_code == 404


def test_my_cpd_lists_the_work_to_claim_and_the_draft_to_confirm(client, world, qi):
    client.force_login(world.lead)
    page = client.get(url(world, "cpd:mine")).content.decode()
    assert "Quality-improvement work you could claim (3)" in page

    post_draft(client, world, "goal", qi.goal.pk)

    page = client.get(url(world, "cpd:mine")).content.decode()
    assert "Quality-improvement work you could claim (2)" in page
    assert "To confirm (1)" in page and "Quality improvement: Fewer missed appointments" in page


def test_a_draft_without_hours_is_not_confirmed_from_my_cpd(client, world, qi):
    activity, _ = draft(world, world.staff, "pdsa", qi.cycle.pk)
    client.force_login(world.staff)
    page = client.get(url(world, "cpd:mine")).content.decode()
    assert "Give the hours, then confirm" in page
    answer = client.post(url(world, "cpd:confirm", pk=activity.pk), {"next": "mine"}, follow=True)
    assert "Give the hours it took (edit the draft)" in answer.content.decode()
    with program_scope(world.program):
        activity.refresh_from_db()
    assert activity.status == "draft"


def test_the_draft_is_checked_and_confirmed_from_its_edit_page(client, world, qi):
    activity, _ = draft(world, world.staff, "pdsa", qi.cycle.pk)
    client.force_login(world.staff)
    edit = url(world, "cpd:edit", pk=activity.pk)
    page = client.get(edit).content.decode()
    assert "Drafted for you" in page and "Save and confirm" in page

    form = {
        "activity_type": "practice_audit",
        "shown_type": "practice_audit",
        "title": activity.title,
        "started_on": activity.started_on.isoformat(),
        "ended_on": activity.ended_on.isoformat(),
        "hours": "",
        "category": "assessment",
        "reflection_found": activity.reflection["found"],
        "confirm": "1",
    }
    refused = client.post(edit, form)
    assert refused.status_code == 200 and 'href="#id_hours"' in refused.content.decode()

    client.post(edit, form | {"hours": "1.5"})

    with program_scope(world.program):
        activity.refresh_from_db()
    assert (activity.status, str(activity.credits)) == ("self_reported", "4.50")


def test_the_plan_page_costs_the_same_with_more_goals_to_claim(client, world, qi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan_url = url(world, "plans:detail", pk=qi.goal.plan_id)
    client.force_login(world.coach)
    client.get(plan_url)
    with CaptureQueriesContext(connection) as small:
        client.get(plan_url)
    for n in range(4):
        goal = achieved_goal(world, world.practice, title=f"Goal {n}", by=world.lead)
        with program_scope(world.program):
            goal.plan_id = qi.goal.plan_id
            goal.save(update_fields=["plan"])
            f.VisitGoalFactory(program=world.program, visit=qi.visits[0], goal=goal)
    with CaptureQueriesContext(connection) as large:
        page = client.get(plan_url)
    assert page.content.decode().count(BUTTON) == 5
    assert len(large.captured_queries) == len(small.captured_queries)
