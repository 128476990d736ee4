"""What an integrator's odd or careless requests get from the coaching API: ids past any
database row, status changes sent to the wrong place, a planned visit completed with few
fields, and feedback summaries of people who are not coaches. Each a clear answer in the one
error format, never a 500 and never silence."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import ActionStatus, VisitMode, VisitStatus
from psp.tenancy.scope import program_scope
from tests.coaching.visits.test_api import api, as_user, assert_error
from tests.factories import PlanActionFactory, PlanGoalFactory, SupportPlanFactory, VisitFactory

TODAY = timezone.localdate
HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("visits/?practice=", "practice"),
        ("visits/?coach=", "coach"),
        ("planned-visits/?practice=", "practice"),
        ("plan-actions/?owner=", "owner"),
        ("plan-actions/?goal=", "goal"),
        ("practices/?coach=", "coach"),
        ("assessments/?practice=", "practice"),
    ],
)
def test_an_id_filter_past_any_row_is_a_400_naming_it(api_client, world, path, field):
    response = as_user(api_client, world.manager).get(api(world, path + HUGE))

    error = assert_error(response, 400)
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize(
    "path", [f"visits/{HUGE}/", f"plan-actions/{HUGE}/", f"feedback-summary/{HUGE}/"]
)
def test_an_object_id_past_any_row_is_not_found(api_client, world, path):
    assert_error(as_user(api_client, world.manager).get(api(world, path)), 404)


def test_a_feedback_summary_id_that_is_no_number_is_a_json_404(api_client, world):
    client = as_user(api_client, world.manager)

    assert client.get(api(world, f"feedback-summary/{world.coach.pk}/")).status_code == 200
    assert_error(client.get(api(world, "feedback-summary/abc/")), 404)  # JSON, not a page


def test_the_schema_offers_no_way_to_create_an_invitation(api_client, world):
    schema = as_user(api_client, world.manager).get("/api/v1/schema/?format=json").json()
    paths = [path for path in schema["paths"] if path.endswith("/feedback-invites/")]
    assert paths and all("post" not in schema["paths"][path] for path in paths)


def test_an_action_status_sent_with_an_edit_is_refused_pointing_to_its_endpoint(api_client, world):
    plan = SupportPlanFactory(program=world.program, practice=world.practice, status="active")
    goal = PlanGoalFactory(program=world.program, plan=plan)
    action = PlanActionFactory(program=world.program, goal=goal, status=ActionStatus.OPEN)

    response = as_user(api_client, world.coach).patch(
        api(world, f"plan-actions/{action.pk}/"), {"status": "dropped"}, format="json"
    )

    error = assert_error(response, 400)
    assert "/status/" in error["fields"]["status"][0]
    with program_scope(world.program):
        action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_completing_a_planned_visit_keeps_what_the_body_leaves_out(api_client, world):
    planned = VisitFactory(
        program=world.program,
        practice=world.practice,
        coach=world.coach,
        status=VisitStatus.PLANNED,
        visit_date=TODAY(),
        start_time="15:00",
        mode=VisitMode.VIRTUAL,
        purpose="Review the recall list",
        notes="Bring last month's numbers.",
        logged_at=None,
    )

    response = as_user(api_client, world.coach).post(
        api(world, f"visits/{planned.pk}/complete/"),
        {"visit_date": TODAY().isoformat(), "duration_minutes": 45, "activities": {"workflow": 45}},
        format="json",
    )

    assert response.status_code == 200, response.content
    visit = response.json()
    assert visit["status"] == "logged"
    assert (visit["mode"], visit["start_time"]) == ("virtual", "15:00:00")
    assert (visit["purpose"], visit["notes"]) == (
        "Review the recall list",
        "Bring last month's numbers.",
    )


def test_visit_dates_from_another_century_are_refused(api_client, world):
    client = as_user(api_client, world.coach)
    old = client.post(
        api(world, "visits/"),
        {
            "practice": world.practice.pk,
            "visit_date": "0001-01-01",
            "duration_minutes": 30,
            "activities": {"workflow": 30},
        },
        format="json",
    )
    far = client.post(
        api(world, "planned-visits/"),
        {
            "practice": world.practice.pk,
            "visit_date": (TODAY() + timedelta(days=5 * 365)).isoformat(),
        },
        format="json",
    )

    assert "visit_date" in assert_error(old, 400)["fields"]
    assert "visit_date" in assert_error(far, 400)["fields"]
