"""CPD claims in the API: the work one may claim, drafting (201, then 200 for the same draft),
and the refusals (400 with the reason, 404 out of reach)."""

import pytest

from cpd.models import CpdActivity
from psp.tenancy.scope import program_scope
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(world, suffix=""):
    return f"/api/v1/programs/{world.program.slug}/cpd-claims/{suffix}"


def test_the_work_one_may_claim_is_listed_with_the_draft_made_from_it(api_client, world, qi):
    api_client.force_authenticate(world.lead)
    drafted = api_client.post(url(world), {"source": "goal", "source_id": qi.goal.pk})

    listed = api_client.get(url(world)).json()["results"]

    assert {(item["kind"], item["id"], item["activity"]) for item in listed} == {
        ("goal", qi.goal.pk, drafted.json()["id"]),
        ("pdsa", qi.cycle.pk, None),
        ("audit", qi.audit.pk, None),
    }


def test_drafting_answers_201_then_200_with_the_same_draft(api_client, world, qi):
    api_client.force_authenticate(world.lead)
    body = {"source": "goal", "source_id": qi.goal.pk}

    first = api_client.post(url(world), body, format="json")
    again = api_client.post(url(world), body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    data = first.json()
    assert data["id"] == again.json()["id"]
    assert (data["status"], data["source"], data["source_id"]) == ("draft", "goal", qi.goal.pk)
    assert (data["hours"], data["category"], data["credits"]) == ("2.25", "assessment", "6.75")
    detail = api_client.get(url(world, f"{data['id']}/"))
    assert detail.status_code == 200 and detail.json()["title"] == data["title"]


def test_work_not_claimable_is_a_400_with_the_reason(api_client, world, qi):
    with program_scope(world.program):
        open_goal = f.PlanGoalFactory(program=world.program, plan=qi.goal.plan)
    api_client.force_authenticate(world.lead)

    answer = api_client.post(url(world), {"source": "goal", "source_id": open_goal.pk})

    assert answer.status_code == 400
    assert "claim it once it is achieved" in answer.json()["error"]["fields"]["source_id"][0]
    answer = api_client.post(url(world), {"source": "offering", "source_id": 1})
    assert answer.status_code == 400 and "source" in answer.json()["error"]["fields"]


def test_work_out_of_reach_is_a_404(api_client, world, qi):
    api_client.force_authenticate(world.lead)
    answer = api_client.post(url(world), {"source": "goal", "source_id": qi.others.pk})
    assert answer.status_code == 404
    with program_scope(world.program):
        assert not CpdActivity.objects.exists()


def test_the_list_costs_the_same_for_more_work(api_client, world, qi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cpd.claims.conftest import achieved_goal

    api_client.force_authenticate(world.lead)
    with CaptureQueriesContext(connection) as small:
        api_client.get(url(world))
    for n in range(5):
        achieved_goal(world, world.practice, title=f"Goal {n}", by=world.lead)
    with CaptureQueriesContext(connection) as large:
        listed = api_client.get(url(world)).json()["results"]
    assert len(listed) == 8
    assert len(large.captured_queries) == len(small.captured_queries)
