"""Each way the API once broke its own OpenAPI schema (issue 8), tested on a real answer checked
by schemathesis against the generated document: the answer must be documented, and its body
valid under the documented schema."""

from datetime import timedelta

import pytest
from django.utils import timezone
from werkzeug.test import Client

from coaching.actions.history import step_line
from coaching.models import ActionStatusChange, PlanAction, PlanGoal
from practices.models import StageChange
from psp.numbers import MAX_ID
from psp.tenancy.scope import program_scope
from tests.api.schema_helpers import api_document, load_schema, operation, seed, token_header

ERROR_STATUSES = ("400", "401", "403", "404", "429")
ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture
def rows(world):
    return seed(world)


def answer(schema, world, user, method: str, path: str, **request):
    """Call one operation as `user` through schemathesis, which checks the answer against the
    document (status documented, body valid), and return the answer's JSON."""
    headers, _ = token_header(world, user)
    if "body" in request:
        request["media_type"] = "application/json"
    case = operation(schema, method, path).Case(headers=headers, **request)
    case.path_parameters = {"program": world.program.slug, **case.path_parameters}
    response = case.call_and_validate()
    return response.status_code, response.json()


def _operations():
    for path, item in api_document()["paths"].items():
        for method, definition in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield f"{method.upper()} {path}", definition


# Answers that broke their schema --------------------------------------------------------------


def test_a_visits_start_time_matches_its_schema(schema, world, rows):
    """ "13:30:00" was sent under `format: time`, which is RFC 3339's time with an offset."""
    status, visit = answer(
        schema,
        world,
        world.coach,
        "GET",
        "planned-visits/{id}/",
        path_parameters={"id": rows["planned-visits"]},
    )
    assert (status, visit["start_time"]) == (200, "13:30:00")


def test_a_start_time_is_taken_as_the_schema_states_it(schema, world, rows):
    """What the schema's pattern refuses, the API refuses too, rather than reading "13:30+02:00"
    as 13:30 and dropping the zone without a word."""
    headers, _ = token_header(world, world.coach)
    base = {"practice": world.practice.pk, "visit_date": _in_a_week(), "duration_minutes": 60}
    accepted, refused = (
        operation(schema, "POST", "planned-visits/").Case(
            headers=headers, body=base | {"start_time": start}, media_type="application/json"
        )
        for start in ("09:30", "09:30+02:00")
    )
    for case in (accepted, refused):
        case.path_parameters = {"program": world.program.slug}

    assert accepted.call_and_validate().json()["start_time"] == "09:30:00"
    response = refused.call_and_validate()
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["start_time"]


def test_an_action_of_a_plan_has_no_visit_and_its_schema_allows_that(schema, world, rows):
    with program_scope(world.program):
        action = PlanAction.objects.filter(visit=None).first()
    status, body = answer(
        schema, world, world.admin, "GET", "plan-actions/{id}/", path_parameters={"id": action.pk}
    )
    assert (status, body["visit"], body["source"]) == (200, None, "plan")


def test_a_plan_with_a_goal_without_a_kpi_matches_its_schema(schema, world, rows):
    with program_scope(world.program):
        goal = PlanGoal.objects.get(pk=rows["plan-goals"])
    assert goal.kpi_key == ""
    status, plan = answer(
        schema, world, world.admin, "GET", "plans/{id}/", path_parameters={"id": goal.plan_id}
    )
    assert status == 200
    assert [g["kpi_key"] for g in plan["goals"]] == [""]


def test_an_actions_history_starts_from_null_not_an_empty_status(schema, world, rows):
    with program_scope(world.program):
        step = ActionStatusChange.objects.select_related("action").get()
        step_line(step).save()  # as the services write it with the step
        action_id = step.action_id
    status, history = answer(
        schema,
        world,
        world.admin,
        "GET",
        "plan-actions/{id}/history/",
        path_parameters={"id": action_id},
    )
    assert status == 200
    assert history[-1]["changes"]["status"] == [None, "open"]


def test_a_practices_stage_history_starts_from_null_not_an_empty_stage(schema, world, rows):
    with program_scope(world.program):
        assert StageChange.objects.get(practice=world.practice).from_stage == ""
    status, history = answer(
        schema,
        world,
        world.admin,
        "GET",
        "practices/{id}/stage-history/",
        path_parameters={"id": world.practice.pk},
    )
    assert status == 200
    assert history["results"][-1]["from_stage"] is None


def test_patching_an_action_answers_what_reading_it_does(schema, world, rows):
    """PATCH left out `owner_name` for an action nobody owns (DRF skips a defaulted field on
    partial updates); the answer to a write is the object as GET shows it."""
    path = {"id": rows["plan-actions"]}
    _, patched = answer(
        schema,
        world,
        world.coach,
        "PATCH",
        "plan-actions/{id}/",
        path_parameters=path,
        body={"title": "Print the recall list twice"},
    )
    _, read = answer(schema, world, world.coach, "GET", "plan-actions/{id}/", path_parameters=path)
    assert patched == read
    assert (read["owner"], read["owner_name"]) == (None, "")


# The error answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "definition"), list(_operations()))
def test_every_operation_documents_its_error_answers(label, definition):
    responses = definition["responses"]
    statuses = ERROR_STATUSES + (("413", "415") if "requestBody" in definition else ())
    missing = [status for status in statuses if status not in responses]
    assert not missing, f"{label} does not document {missing}"
    for status in statuses:
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}
    assert "Retry-After" in responses["429"]["headers"]


@pytest.mark.parametrize(
    ("who", "method", "path", "status"),
    [
        ("admin", "GET", "practices/{id}/", 404),
        ("lead", "POST", "practices/", 403),
        ("nobody", "GET", "practices/", 401),
        ("admin", "PATCH", "practices/{id}/", 400),
    ],
)
def test_error_answers_match_the_error_component(schema, world, rows, who, method, path, status):
    headers = {} if who == "nobody" else token_header(world, world.user(who))[0]
    body = {}
    if method == "PATCH":
        body = {"body": {"professionals_count": -1}, "media_type": "application/json"}
    case = operation(schema, method, path).Case(headers=headers, **body)
    known = {"id": MAX_ID if status == 404 else world.practice.pk}
    case.path_parameters = {"program": world.program.slug, **known}
    response = case.call_and_validate()
    assert response.status_code == status
    assert response.json()["error"]["status"] == status


def test_a_body_that_is_not_json_is_a_documented_415(schema, world):
    headers, _ = token_header(world, world.admin)
    case = operation(schema, "POST", "practices/").Case(
        headers=headers, body="name=Riverside", media_type="text/plain"
    )
    case.path_parameters = {"program": world.program.slug}
    response = case.call_and_validate()
    assert response.status_code == 415
    assert response.json()["error"]["status"] == 415


def test_a_path_no_route_matches_is_a_404_in_the_error_format(world):
    client = Client(load_schema().app)
    for path in (f"visits/{1.5}/", "no-such-resource/"):
        response = client.get(f"/api/v1/programs/{world.program.slug}/{path}")
        assert response.status_code == 404, path
        assert response.json == {
            "error": {"status": 404, "code": "not_found", "message": "Not found."}
        }


# Query parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("practices/", "coach"),
        ("practices/", "stage"),
        ("practices/", "search"),
        ("practices/", "page"),
        ("plan-actions/", "overdue"),
        ("dose/", "group_by"),
        ("caseload/", "coach"),
    ],
)
def test_an_empty_query_parameter_is_refused_naming_it(schema, world, rows, path, parameter):
    """`?coach=` is not "no filter": it answered with every row, where the client meant a few."""
    status, body = answer(schema, world, world.admin, "GET", path, query={parameter: ""})
    assert status == 400
    assert list(body["error"]["fields"]) == [parameter]


def test_the_schema_says_no_query_parameter_may_be_empty():
    """OpenAPI's allowEmptyValue is false unless set; a free string parameter also says
    minLength 1 (for a string, "" would otherwise be a valid value; a choice's enum has none)."""
    for label, definition in _operations():
        for parameter in definition.get("parameters", []):
            if parameter["in"] != "query":
                continue
            assert not parameter.get("allowEmptyValue"), (label, parameter["name"])
            schema = parameter["schema"]
            if schema.get("type") == "string":
                assert schema.get("minLength") == 1 or "" not in schema.get("enum", [""]), (
                    label,
                    parameter["name"],
                )


def test_every_id_parameter_states_the_ids_it_takes():
    """`?practice=0` is refused (no row has id 0), so the schema says so: minimum 1, and the
    largest id a row can have as the maximum. Every integer query parameter but the paging ones
    names an id (IdFilter in lists, the report endpoints' own)."""
    checked = set()
    for label, definition in _operations():
        for parameter in definition.get("parameters", []):
            schema = parameter["schema"]
            if parameter["in"] != "query" or schema.get("type") != "integer":
                continue
            if parameter["name"] in ("page", "page_size"):
                continue
            assert (schema.get("minimum"), schema.get("maximum")) == (1, MAX_ID), (
                label,
                parameter["name"],
            )
            checked.add((label, parameter["name"]))
    # A floor: if discovery breaks, the test must not pass checking nothing.
    assert len(checked) >= 25
    assert ("GET /api/v1/programs/{program}/dose/", "coach") in checked


@pytest.mark.parametrize(
    ("parameter", "value", "status"),
    [
        ("page_size", "0", 400),
        ("page_size", "501", 400),
        ("page_size", "ten", 400),
        ("page", "0", 400),
        ("page", "2", 404),
        ("page_size", "500", 200),
    ],
)
def test_paging_holds_to_the_bounds_the_schema_states(
    schema, world, rows, parameter, value, status
):
    """A page size out of bounds fell back to 50 rows (or 500) without a word; the client read
    fewer rows than it asked for. A page past the last is "not found", as before."""
    bounds = {
        p["name"]: p["schema"]
        for p in api_document()["paths"]["/api/v1/programs/{program}/practices/"]["get"][
            "parameters"
        ]
    }
    assert (bounds["page"]["minimum"], bounds["page_size"]["minimum"]) == (1, 1)
    assert bounds["page_size"]["maximum"] == 500
    answered, body = answer(
        schema, world, world.admin, "GET", "practices/", query={parameter: value}
    )
    assert answered == status
    if status == 400:
        assert list(body["error"]["fields"]) == [parameter]


def _in_a_week() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()
