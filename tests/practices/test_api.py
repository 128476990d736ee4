"""The practices API: practices, stage moves and history, coach assignments, practice staff."""

import pytest

from practices.models import CoachAssignment, Practice, Stage, StageChange
from psp.tenancy.models import Sector
from psp.tenancy.scope import program_scope
from tests.factories import PracticeFactory


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


NEW_PRACTICE = {
    "name": "Maple Street Legal",
    "sector": Sector.LAW,
    "specialty": "Family law",
    "professionals_count": 6,
    "region": "Maple",
}


# Practices: reading -------------------------------------------------------------------------


def test_an_admin_lists_the_programs_practices_with_their_coaches(api_client, world, other_world):
    response = as_user(api_client, world.admin).get(api(world, "practices/"))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    by_name = {row["name"]: row for row in body["results"]}
    assert set(by_name) == {world.practice.name, world.other_practice.name}
    [coach] = by_name[world.practice.name]["coaches"]
    assert coach["coach"]["full_name"] == world.coach.full_name
    assert "program" not in by_name[world.practice.name]


def test_a_coach_lists_only_their_caseload(api_client, world):
    response = as_user(api_client, world.coach).get(api(world, "practices/"))

    assert [row["name"] for row in response.json()["results"]] == [world.practice.name]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=pilot", {"Pilot Legal"}),
        ("sector=law", {"Pilot Legal"}),
        ("search=lakeside", {"North PSP Lakeside Clinic"}),
        ("coach={other_coach}", {"North PSP Lakeside Clinic"}),
    ],
)
def test_practices_filter_by_stage_sector_coach_and_search(api_client, world, query, expected):
    PracticeFactory(program=world.program, name="Pilot Legal", sector=Sector.LAW, stage="pilot")

    response = as_user(api_client, world.admin).get(
        api(world, "practices/?" + query.format(other_coach=world.other_coach.pk))
    )

    assert {row["name"] for row in response.json()["results"]} == expected


def test_practices_can_be_ordered(api_client, world):
    response = as_user(api_client, world.admin).get(api(world, "practices/?ordering=-name"))

    names = [row["name"] for row in response.json()["results"]]
    assert names == sorted(names, reverse=True)


def test_an_unknown_stage_filter_is_a_field_error(api_client, world):
    response = as_user(api_client, world.admin).get(api(world, "practices/?stage=retired"))

    error = assert_error(response, 400, "invalid")
    assert "stage" in error["fields"]


def test_a_practice_out_of_reach_answers_404(api_client, world):
    response = as_user(api_client, world.coach).get(
        api(world, f"practices/{world.other_practice.pk}/")
    )

    assert_error(response, 404, "not_found")


def test_another_programs_member_gets_404_on_the_list(api_client, world, other_world):
    response = as_user(api_client, other_world.admin).get(api(world, "practices/"))

    assert_error(response, 404)


# Practices: writing -------------------------------------------------------------------------


def test_an_admin_creates_a_practice_and_its_enrolment_is_recorded(api_client, world):
    response = as_user(api_client, world.admin).post(api(world, "practices/"), NEW_PRACTICE)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["stage"], body["coaches"]) == (
        "Maple Street Legal",
        Stage.NEEDS_ASSESSMENT,
        [],
    )
    practice = in_scope(world, lambda: Practice.objects.get(pk=body["id"]))
    assert practice.program_id == world.program.pk
    assert in_scope(world, lambda: StageChange.objects.filter(practice=practice).count()) == 1


def test_program_in_the_input_is_ignored(api_client, world, other_world):
    response = as_user(api_client, world.admin).post(
        api(world, "practices/"), {**NEW_PRACTICE, "program": other_world.program.pk}
    )

    assert response.status_code == 201
    with program_scope(other_world.program):
        assert not Practice.objects.filter(name=NEW_PRACTICE["name"]).exists()
    assert in_scope(world, lambda: Practice.objects.get(name=NEW_PRACTICE["name"])).pk


def test_a_practice_can_be_created_at_a_later_stage(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, "practices/"), {**NEW_PRACTICE, "stage": "training"}
    )

    assert response.json()["stage"] == Stage.TRAINING


def test_invalid_fields_come_back_in_the_one_error_format_and_nothing_is_saved(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, "practices/"),
        {"name": "", "sector": "astrology", "contact_email": "nope", "professionals_count": -1},
    )

    error = assert_error(response, 400, "invalid")
    assert {"name", "sector", "contact_email", "professionals_count"} <= set(error["fields"])
    assert in_scope(world, lambda: Practice.objects.count()) == 2


def test_a_duplicate_name_is_a_field_error(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, "practices/"), {**NEW_PRACTICE, "name": world.practice.name}
    )

    error = assert_error(response, 400, "invalid")
    assert "already exists" in error["fields"]["name"][0]


@pytest.mark.parametrize("who", ["manager", "coach", "lead"])
def test_only_admins_create_practices(api_client, world, who):
    response = as_user(api_client, world.user(who)).post(api(world, "practices/"), NEW_PRACTICE)

    assert_error(response, 403, "permission_denied")
    assert not in_scope(world, lambda: Practice.objects.filter(name=NEW_PRACTICE["name"]).exists())


@pytest.mark.parametrize("who", ["admin", "coach", "lead"])
def test_the_admin_the_assigned_coach_and_the_lead_update_a_practice(api_client, world, who):
    response = as_user(api_client, world.user(who)).patch(
        api(world, f"practices/{world.practice.pk}/"), {"region": "Riverbend"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["region"] == "Riverbend"
    assert in_scope(world, lambda: Practice.objects.get(pk=world.practice.pk)).region == "Riverbend"


@pytest.mark.parametrize("who", ["staff", "manager"])
def test_people_who_may_only_look_cannot_update(api_client, world, who):
    response = as_user(api_client, world.user(who)).patch(
        api(world, f"practices/{world.practice.pk}/"), {"region": "Riverbend"}
    )

    assert_error(response, 403)
    assert in_scope(world, lambda: Practice.objects.get(pk=world.practice.pk)).region == "North"


def test_a_coach_cannot_update_a_practice_outside_their_caseload(api_client, world):
    response = as_user(api_client, world.coach).patch(
        api(world, f"practices/{world.other_practice.pk}/"), {"region": "Riverbend"}
    )

    assert_error(response, 404)


def test_an_update_cannot_change_the_stage(api_client, world):
    response = as_user(api_client, world.admin).patch(
        api(world, f"practices/{world.practice.pk}/"), {"stage": "pilot", "region": "Elsewhere"}
    )

    error = assert_error(response, 400)
    assert "stage" in error["fields"]
    practice = in_scope(world, lambda: Practice.objects.get(pk=world.practice.pk))
    assert (practice.stage, practice.region) == (Stage.NEEDS_ASSESSMENT, "North")


def test_practices_cannot_be_deleted(api_client, world):
    response = as_user(api_client, world.admin).delete(
        api(world, f"practices/{world.practice.pk}/")
    )

    assert_error(response, 405)
    assert in_scope(world, lambda: Practice.objects.filter(pk=world.practice.pk).exists())


# Stage moves and history -----------------------------------------------------------------


def test_the_stage_action_moves_the_practice_and_the_history_shows_it(api_client, world):
    client = as_user(api_client, world.coach)

    moved = client.post(
        api(world, f"practices/{world.practice.pk}/stage/"),
        {"stage": "program_design", "note": "Plan agreed."},
    )
    history = client.get(api(world, f"practices/{world.practice.pk}/stage-history/"))

    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == Stage.PROGRAM_DESIGN
    [latest] = history.json()["results"]
    assert latest["from_stage"] == Stage.NEEDS_ASSESSMENT
    assert latest["to_stage"] == Stage.PROGRAM_DESIGN
    assert latest["note"] == "Plan agreed."
    assert latest["moved_by"]["full_name"] == world.coach.full_name


def test_moving_to_the_current_stage_is_a_field_error_on_stage(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, f"practices/{world.practice.pk}/stage/"), {"stage": "needs_assessment"}
    )

    error = assert_error(response, 400, "invalid")
    assert "already" in error["fields"]["stage"][0]
    assert in_scope(world, lambda: StageChange.objects.count()) == 0


def test_an_unknown_stage_is_a_field_error(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, f"practices/{world.practice.pk}/stage/"), {"stage": "retired"}
    )

    assert "stage" in assert_error(response, 400)["fields"]


@pytest.mark.parametrize("who", ["lead", "staff", "manager"])
def test_people_who_may_not_move_stages_get_403(api_client, world, who):
    response = as_user(api_client, world.user(who)).post(
        api(world, f"practices/{world.practice.pk}/stage/"), {"stage": "pilot"}
    )

    assert_error(response, 403)
    assert in_scope(world, lambda: Practice.objects.get(pk=world.practice.pk)).stage == (
        Stage.NEEDS_ASSESSMENT
    )


def test_a_practice_member_reads_their_practices_history(api_client, world):
    response = as_user(api_client, world.staff).get(
        api(world, f"practices/{world.practice.pk}/stage-history/")
    )

    assert response.status_code == 200


# Coach assignments -------------------------------------------------------------------------


def test_an_admin_assigns_and_unassigns_a_coach(api_client, world):
    client = as_user(api_client, world.admin)

    created = client.post(
        api(world, "coach-assignments/"),
        {"practice": world.practice.pk, "coach": world.other_coach.pk},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["coach_name"], body["is_primary"]) == (world.other_coach.full_name, False)

    deleted = client.delete(api(world, f"coach-assignments/{body['id']}/"))

    assert deleted.status_code == 204
    assert in_scope(world, lambda: CoachAssignment.objects.filter(pk=body["id"]).exists()) is False


def test_coach_assignments_filter_by_practice(api_client, world):
    response = as_user(api_client, world.manager).get(
        api(world, f"coach-assignments/?practice={world.other_practice.pk}")
    )

    [row] = response.json()["results"]
    assert row["coach"] == world.other_coach.pk


def test_a_practice_of_another_program_is_a_field_error(api_client, world, other_world):
    response = as_user(api_client, world.admin).post(
        api(world, "coach-assignments/"),
        {"practice": other_world.practice.pk, "coach": world.other_coach.pk},
    )

    error = assert_error(response, 400, "invalid")
    assert "in this program" in error["fields"]["practice"][0]
    assert in_scope(world, lambda: CoachAssignment.objects.count()) == 2


@pytest.mark.parametrize("who", ["other_program_coach", "manager", "nobody"])
def test_a_coach_id_that_is_not_this_programs_coach_is_a_field_error(
    api_client, world, other_world, who
):
    coach_id = {
        "other_program_coach": other_world.coach.pk,
        "manager": world.manager.pk,
        "nobody": 999_999,
    }[who]

    response = as_user(api_client, world.admin).post(
        api(world, "coach-assignments/"), {"practice": world.practice.pk, "coach": coach_id}
    )

    error = assert_error(response, 400, "invalid")
    assert error["fields"]["coach"] == [f"No coach with id {coach_id} in this program."]


def test_assigning_a_coach_twice_is_a_field_error(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, "coach-assignments/"), {"practice": world.practice.pk, "coach": world.coach.pk}
    )

    assert "already coaches" in assert_error(response, 400)["fields"]["coach"][0]


@pytest.mark.parametrize("who", ["manager", "coach", "lead"])
def test_only_admins_change_coach_assignments(api_client, world, who):
    assignment = in_scope(world, lambda: CoachAssignment.objects.get(practice=world.practice))
    client = as_user(api_client, world.user(who))

    created = client.post(
        api(world, "coach-assignments/"),
        {"practice": world.practice.pk, "coach": world.other_coach.pk},
    )
    deleted = client.delete(api(world, f"coach-assignments/{assignment.pk}/"))

    assert (created.status_code, deleted.status_code) == (403, 403)
    assert in_scope(world, lambda: CoachAssignment.objects.count()) == 2


def test_coach_assignments_cannot_be_edited_in_place(api_client, world):
    assignment = in_scope(world, lambda: CoachAssignment.objects.get(practice=world.practice))

    response = as_user(api_client, world.admin).patch(
        api(world, f"coach-assignments/{assignment.pk}/"), {"is_primary": False}
    )

    assert_error(response, 405)


# Practice memberships ----------------------------------------------------------------------


def test_a_lead_lists_the_people_of_their_own_practice_only(api_client, world):
    PracticeFactory(program=world.program, name="Unrelated Practice")

    response = as_user(api_client, world.lead).get(api(world, "practice-memberships/"))

    rows = response.json()["results"]
    assert {row["user"]["full_name"] for row in rows} == {
        world.lead.full_name,
        world.staff.full_name,
    }
    assert {row["practice"] for row in rows} == {world.practice.pk}


def test_practice_memberships_are_read_only(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, "practice-memberships/"),
        {"practice": world.practice.pk, "user": world.manager.pk, "role": "staff"},
    )

    assert_error(response, 405)


# Schema --------------------------------------------------------------------------------------


def test_the_practices_endpoints_describe_themselves_without_schema_warnings(capsys):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import SimpleRouter

    from practices.api import routes
    from psp.api.urls import PROGRAM_PREFIX

    router = SimpleRouter()
    for prefix, viewset, basename in routes:
        router.register(PROGRAM_PREFIX + prefix, viewset, basename=basename)
    GENERATOR_STATS.reset()

    # Outside any program scope, as `manage.py spectacular` runs.
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
        request=None, public=True
    )

    validate_schema(schema)
    assert not GENERATOR_STATS, capsys.readouterr().err
    assert "/api/v1/programs/{program}/practices/{id}/stage-history/" in schema["paths"]
    request_fields = schema["components"]["schemas"]["PracticeRequest"]["properties"]
    assert "program" not in request_fields
