"""The visits API: logging (with its idempotency key), the list's filters, a visit in full,
editing with history, completing and cancelling planned visits, scheduling, and foreign ids
refused as field errors, in the one error format."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import PlanAction, PlanStatus, Visit, VisitStatus
from coaching.visits import services
from psp.tenancy.scope import program_scope
from tests.coaching.visits.helpers import with_input
from tests.factories import PlanGoalFactory, SupportPlanFactory, VisitFactory

TODAY = timezone.localdate


def api(world, path: str) -> str:
    return f"/api/v1/programs/{world.program.slug}/{path}"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def in_scope(world, fn):
    with program_scope(world.program):
        return fn()


def assert_error(response, status: int) -> dict:
    """The one error format: {"error": {"status", "code", "message"[, "fields"]}}."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error


def body(world, **overrides) -> dict:
    data = {
        "practice": world.practice.pk,
        "visit_date": TODAY().isoformat(),
        "start_time": "10:00",
        "mode": "virtual",
        "duration_minutes": 60,
        "activities": {"workflow": 45, "compliance": 15},
        "attendees": [world.lead.pk, world.staff.pk],
        "other_attendees": 1,
        "purpose": "Privacy walk-through",
        "notes": "Went through consent forms.",
    }
    data.update(overrides)
    return data


def logged(world, **extra):
    arguments = {
        "program": world.program,
        "by": world.coach,
        "practice": world.practice,
        "visit_date": TODAY(),
        "duration_minutes": 60,
        "activities": {"workflow": 60},
    }
    arguments.update(extra)
    return in_scope(world, lambda: services.visit_log(**with_input(arguments)))


def planned(world, days=2):
    return in_scope(
        world,
        lambda: services.visit_plan(
            program=world.program,
            by=world.coach,
            practice=world.practice,
            visit_date=TODAY() + timedelta(days=days),
        ),
    )


@pytest.fixture
def goal(world):
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    return PlanGoalFactory(program=world.program, plan=plan, title="Consent forms refreshed")


# Logging ------------------------------------------------------------------------------------


def test_a_coach_logs_a_visit_with_actions_and_the_next_visit(api_client, world, goal):
    response = as_user(api_client, world.coach).post(
        api(world, "visits/"),
        body(
            world,
            goals=[goal.pk],
            new_actions=[
                {"title": "Reprint consent forms", "owner": world.lead.pk, "goal": goal.pk}
            ],
            next_visit={"visit_date": (TODAY() + timedelta(days=14)).isoformat()},
            program=999,
        ),
    )

    data = response.json()
    assert response.status_code == 201, data
    assert data["status"] == "logged"
    assert data["activities"] == {"compliance": 15, "workflow": 45}
    assert {p["id"] for p in data["attendees"]} == {world.lead.pk, world.staff.pk}
    assert data["goals"] == [{"id": goal.pk, "title": goal.title, "plan": goal.plan_id}]
    assert [a["title"] for a in data["new_actions"]] == ["Reprint consent forms"]
    assert data["coach"]["id"] == world.coach.pk
    assert data["edit_count"] == 0
    assert "program" not in data
    statuses = in_scope(world, lambda: sorted(Visit.objects.values_list("status", flat=True)))
    assert statuses == ["logged", "planned"]


def test_the_rules_come_back_as_field_errors(api_client, world):
    client = as_user(api_client, world.coach)

    mismatch = client.post(api(world, "visits/"), body(world, activities={"workflow": 50}))
    future = client.post(
        api(world, "visits/"), body(world, visit_date=(TODAY() + timedelta(days=1)).isoformat())
    )
    next_in_past = client.post(
        api(world, "visits/"),
        body(world, next_visit={"visit_date": (TODAY() - timedelta(days=1)).isoformat()}),
    )

    assert assert_error(mismatch, 400)["fields"]["activities"] == [
        "The activities add up to 50 minutes, 10 fewer than the 60-minute duration."
    ]
    assert assert_error(future, 400)["fields"]["visit_date"] == [
        "A visit in the future is a planned visit: schedule it instead."
    ]
    assert assert_error(next_in_past, 400)["fields"]["next_visit"] == {
        "visit_date": ["A planned visit's date is today or later."]
    }
    assert in_scope(world, lambda: Visit.objects.count()) == 0


def test_a_repeated_idempotency_key_returns_the_first_visit(api_client, world):
    """The same request sent again (tests/coaching/test_visit_idempotency.py: another one)."""
    client = as_user(api_client, world.coach)
    headers = {"Idempotency-Key": "visit-form-42"}

    first = client.post(api(world, "visits/"), body(world), headers=headers)
    again = client.post(api(world, "visits/"), body(world), headers=headers)
    key = str(uuid.uuid4())
    by_body = client.post(api(world, "visits/"), body(world, submission_key=key))
    by_body_again = client.post(api(world, "visits/"), body(world, submission_key=key))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert (by_body.status_code, by_body_again.status_code) == (201, 200)
    assert by_body_again.json()["id"] == by_body.json()["id"]
    assert in_scope(world, lambda: Visit.objects.count()) == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 403), ("manager", 403), ("lead", 403), ("staff", 403), ("other_coach", 400)],
)
def test_only_the_practices_coach_logs_its_visits(api_client, world, who, status):
    response = as_user(api_client, world.user(who)).post(api(world, "visits/"), body(world))

    error = assert_error(response, status)
    if status == 400:  # another coach: the practice is not in their caseload
        assert "practice" in error["fields"]
    assert in_scope(world, lambda: Visit.objects.count()) == 0


def test_ids_from_another_program_or_out_of_reach_are_field_errors(
    api_client, world, other_world, goal
):
    foreign_plan = SupportPlanFactory(
        program=other_world.program, practice=other_world.practice, status=PlanStatus.ACTIVE
    )
    foreign_goal = PlanGoalFactory(program=other_world.program, plan=foreign_plan)
    other_goal = PlanGoalFactory(
        program=world.program,
        plan=SupportPlanFactory(
            program=world.program, practice=world.other_practice, status=PlanStatus.ACTIVE
        ),
    )
    client = as_user(api_client, world.coach)
    cases = {
        "practice": body(world, practice=other_world.practice.pk),
        "attendees": body(world, attendees=[other_world.lead.pk]),
        "goals": body(world, goals=[foreign_goal.pk]),
        "new_actions": body(world, new_actions=[{"title": "x", "owner": other_world.staff.pk}]),
    }

    for field, data in cases.items():
        error = assert_error(client.post(api(world, "visits/"), data), 400)
        assert field in error["fields"], (field, error)
        assert other_world.program.name not in str(error)
    # In the program but another coach's practice: its goals are out of reach too.
    error = assert_error(
        client.post(api(world, "visits/"), body(world, goals=[other_goal.pk])), 400
    )
    assert "goals" in error["fields"]
    # A person of the program who is not of the practice: the service says so.
    error = assert_error(
        client.post(api(world, "visits/"), body(world, attendees=[world.other_coach.pk])), 400
    )
    assert error["fields"]["attendees"] == ["Choose attendees among the practice's active people."]
    assert Visit.all_programs.count() == 0


# Reading ------------------------------------------------------------------------------------


def test_the_list_filters_by_practice_coach_mode_status_and_dates(api_client, world):
    old = logged(world, visit_date=TODAY() - timedelta(days=40), mode="phone")
    new = logged(world, visit_date=TODAY() - timedelta(days=2))
    plan = planned(world)
    theirs = VisitFactory(
        program=world.program, practice=world.other_practice, coach=world.other_coach
    )
    client = as_user(api_client, world.manager)

    def ids(**query):
        response = client.get(api(world, "visits/"), query)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids() == [plan.pk, new.pk, theirs.pk, old.pk]
    assert ids(practice=world.other_practice.pk) == [theirs.pk]
    assert ids(coach=world.coach.pk) == [plan.pk, new.pk, old.pk]
    assert ids(mode="phone") == [old.pk]
    assert ids(status="planned") == [plan.pk]
    assert ids(
        date_from=(TODAY() - timedelta(days=10)).isoformat(), date_to=TODAY().isoformat()
    ) == [
        new.pk,
        theirs.pk,
    ]
    assert ids(ordering="visit_date")[0] == old.pk


def test_practice_staff_see_their_practices_visits_only(api_client, world):
    mine = logged(world)
    theirs = VisitFactory(
        program=world.program, practice=world.other_practice, coach=world.other_coach
    )
    client = as_user(api_client, world.staff)

    listed = client.get(api(world, "visits/")).json()["results"]

    assert [item["id"] for item in listed] == [mine.pk]
    assert_error(client.get(api(world, f"visits/{theirs.pk}/")), 404)


# Editing and history ------------------------------------------------------------------------


def test_an_edit_after_the_day_is_a_line_of_the_history(api_client, world):
    visit = logged(world, visit_date=TODAY() - timedelta(days=5), notes="First notes")
    client = as_user(api_client, world.coach)

    response = client.patch(
        api(world, f"visits/{visit.pk}/"),
        {
            "notes": "Better notes",
            "duration_minutes": 75,
            "activities": {"workflow": 75},
            "reason": "Completed the notes",
        },
    )
    history = client.get(api(world, f"visits/{visit.pk}/history/"))

    assert response.status_code == 200, response.content
    assert response.json()["notes"] == "Better notes"
    assert response.json()["edit_count"] == 1
    [line] = history.json()
    assert line["what"] == "visit.edited"
    assert line["summary"].endswith("Why: Completed the notes")
    assert line["changed_by"]["id"] == world.coach.pk
    assert line["changes"]["duration_minutes"] == ["60 min", "75 min"]
    assert line["changes"]["notes"] == ["First notes", "Better notes"]


def test_an_edit_on_the_day_adds_no_line_of_history(api_client, world):
    visit = logged(world)

    response = as_user(api_client, world.coach).put(
        api(world, f"visits/{visit.pk}/"), {"purpose": "Renamed"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["purpose"] == "Renamed"
    history = as_user(api_client, world.coach).get(api(world, f"visits/{visit.pk}/history/"))
    assert history.json() == []


def test_an_edit_breaking_a_rule_is_a_field_error_and_changes_nothing(api_client, world):
    visit = logged(world)

    response = as_user(api_client, world.coach).patch(
        api(world, f"visits/{visit.pk}/"), {"duration_minutes": 30}
    )

    assert "activities" in assert_error(response, 400)["fields"]
    assert in_scope(world, lambda: Visit.objects.get(pk=visit.pk).duration_minutes) == 60


@pytest.mark.parametrize(("who", "status"), [("manager", 403), ("lead", 403), ("other_coach", 404)])
def test_only_the_visits_coach_edits_it(api_client, world, who, status):
    visit = logged(world)

    response = as_user(api_client, world.user(who)).patch(
        api(world, f"visits/{visit.pk}/"), {"notes": "Hijacked"}
    )

    assert_error(response, status)
    assert in_scope(world, lambda: Visit.objects.get(pk=visit.pk).notes) == ""


@pytest.mark.parametrize(
    "body", [{"duration_minutes": "x"}, {"attendees": [999_999]}, {"activities": {"cpd": -5}}]
)
def test_someone_else_is_refused_before_their_body_is_read(api_client, world, body):
    visit = logged(world)

    response = as_user(api_client, world.manager).patch(api(world, f"visits/{visit.pk}/"), body)

    assert_error(response, 403)


def test_a_coach_cannot_edit_a_colleagues_visit_to_their_practice(api_client, world):
    theirs = VisitFactory(program=world.program, practice=world.practice, coach=world.other_coach)

    response = as_user(api_client, world.coach).patch(
        api(world, f"visits/{theirs.pk}/"), {"notes": "Hijacked"}
    )

    assert_error(response, 403)


def test_visits_are_never_deleted(api_client, world):
    visit = logged(world)

    response = as_user(api_client, world.coach).delete(api(world, f"visits/{visit.pk}/"))

    assert_error(response, 405)
    assert in_scope(world, lambda: Visit.objects.filter(pk=visit.pk).exists())


# Planned visits -----------------------------------------------------------------------------


def test_a_coach_schedules_completes_and_lists_planned_visits(api_client, world):
    client = as_user(api_client, world.coach)
    day = TODAY() + timedelta(days=3)

    scheduled = client.post(
        api(world, "planned-visits/"),
        {"practice": world.practice.pk, "visit_date": day.isoformat(), "purpose": "Review"},
    )
    visit_id = scheduled.json()["id"]
    listed = client.get(api(world, "planned-visits/")).json()["results"]
    early = client.post(
        api(world, f"visits/{visit_id}/complete/"),
        body(world, visit_date=day.isoformat()),
    )
    done = client.post(
        api(world, f"visits/{visit_id}/complete/"),
        body(world, new_actions=[{"title": "Send the summary"}]),
    )

    assert scheduled.status_code == 201, scheduled.content
    assert scheduled.json()["status"] == "planned" and scheduled.json()["duration_minutes"] == 60
    assert [item["id"] for item in listed] == [visit_id]
    assert "visit_date" in assert_error(early, 400)["fields"]
    assert done.status_code == 200, done.content
    assert (done.json()["id"], done.json()["status"]) == (visit_id, "logged")
    assert client.get(api(world, "planned-visits/")).json()["results"] == []
    # Its own address still answers, saying what became of it.
    assert client.get(api(world, f"planned-visits/{visit_id}/")).json()["status"] == "logged"
    assert in_scope(world, lambda: PlanAction.objects.get().visit_id) == visit_id


def test_scheduling_in_the_past_is_a_field_error(api_client, world):
    response = as_user(api_client, world.coach).post(
        api(world, "planned-visits/"),
        {"practice": world.practice.pk, "visit_date": (TODAY() - timedelta(days=1)).isoformat()},
    )

    assert assert_error(response, 400)["fields"]["visit_date"] == [
        "A planned visit's date is today or later."
    ]


def test_planned_visits_filter_by_practice_and_dates(api_client, world):
    soon = planned(world, days=1)
    later = planned(world, days=30)
    logged(world)
    client = as_user(api_client, world.manager)

    def ids(**query):
        return [i["id"] for i in client.get(api(world, "planned-visits/"), query).json()["results"]]

    assert ids() == [soon.pk, later.pk]
    assert ids(date_to=(TODAY() + timedelta(days=7)).isoformat()) == [soon.pk]
    assert ids(practice=world.other_practice.pk) == []
    assert ids(coach=world.coach.pk) == [soon.pk, later.pk]


def test_cancelling_needs_a_reason_and_is_the_coachs_own(api_client, world):
    visit = planned(world)
    client = as_user(api_client, world.coach)

    refused = client.post(api(world, f"visits/{visit.pk}/cancel/"), {"reason": ""})
    manager = as_user(api_client, world.manager).post(
        api(world, f"visits/{visit.pk}/cancel/"), {"reason": "No"}
    )
    done = as_user(api_client, world.coach).post(
        api(world, f"visits/{visit.pk}/cancel/"), {"reason": "Practice closed for the week"}
    )

    assert assert_error(refused, 400)["fields"]["reason"] == ["Say why the visit is cancelled."]
    assert_error(manager, 403)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == VisitStatus.CANCELLED
    assert done.json()["cancel_reason"] == "Practice closed for the week"
    assert done.json()["cancelled_by"]["id"] == world.coach.pk


# Schema -------------------------------------------------------------------------------------


def test_the_visit_endpoints_describe_themselves_without_schema_warnings(capsys):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import SimpleRouter

    from coaching.visits.api import routes
    from psp.api.urls import PROGRAM_PREFIX

    router = SimpleRouter()
    for prefix, viewset, basename in routes:
        router.register(PROGRAM_PREFIX + prefix, viewset, basename=basename)
    GENERATOR_STATS.reset()

    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
        request=None, public=True
    )

    validate_schema(schema)
    assert not GENERATOR_STATS, capsys.readouterr().err
    paths = schema["paths"]
    assert "/api/v1/programs/{program}/visits/{id}/history/" in paths
    assert "delete" not in paths["/api/v1/programs/{program}/visits/{id}/"]
    assert "program" not in schema["components"]["schemas"]["VisitLogRequest"]["properties"]
