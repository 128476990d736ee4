"""The API keeps the contract its schema states (issue 8). Schemathesis sends every operation of
the OpenAPI document to the app, and every answer must be no server error, a documented status
code and content type, and a body the documented schema accepts (schema_helpers.CHECKS):

- as each of three roles (program admin, coach, practice lead), a few generated requests per
  operation: what each role is answered (its reach, its 403s and 404s) keeps the schema;
- as a role that may make the call, every operation probed in depth: each parameter and body
  field at its bounds and beyond, missing, of the wrong type.

One program is seeded once (a World and one row of every program-owned model, shared by the
module's tests: tests/shared_data.py); each operation runs in its own test, whose writes are
rolled back after it, so nothing one operation writes reaches another, or another role. Requests
with valid data are aimed at the program's real rows, so detail paths answer with objects rather
than 404s. Generation is derandomized with a fixed seed: the same requests on every run and
machine. The API's rate limits are off in the suite (tests/conftest.py), so no answer here is a
429.
"""

from dataclasses import dataclass

import hypothesis
import pytest
from schemathesis.generation import GenerationMode

from tests.api.schema_helpers import load_schema, seed, token_header
from tests.conftest import build_world
from tests.shared_data import shared_fixture

ROLES = ("admin", "coach", "lead")
# Who probes a resource in depth (by the first part of its path; the admin unless named here):
# a role that may make its calls (docs/permissions.md), so that invalid input reaches validation
# rather than the 403 that comes first. Visits and assessment rounds are worked by the coach;
# the rest is set up, overseen or planned by the admin.
IN_DEPTH_ROLE = {"visits": "coach", "planned-visits": "coach", "assessments": "coach"}
GENERATION = {"deterministic": True, "no-shrink": True}

# A few generated requests per operation, for each role.
by_role = load_schema(
    seed=8,
    generation=GENERATION | {"max-examples": 4},
    phases={"coverage": {"enabled": False}},
)
# Every operation in depth, as a role that may make the call: the schema's examples and its
# coverage of each parameter and field (generated requests are by_role's). Other methods on a
# path are the router's 405s, not the schema's, so they are not tried.
in_depth = load_schema(
    seed=8,
    generation=GENERATION,
    phases={"fuzzing": {"enabled": False}, "coverage": {"unexpected-methods": []}},
)
# Requests made, by test and role, for the line this module adds to the end of the run.
REQUESTS: dict[str, int] = {}


@dataclass
class Program:
    slug: str
    ids: dict[str, int]  # by resource, the id its detail paths use
    headers: dict[str, dict]  # by role, the Authorization header of the role's token


@shared_fixture(name="program")
def seeded_program() -> Program:
    world = build_world("north-psp", "North PSP")
    ids = seed(world)
    headers = {}
    for role in ROLES:
        headers[role], token_id = token_header(world, world.user(role))
        ids[f"api-tokens:{role}"] = token_id
    return Program(world.program.slug, ids, headers)


@pytest.mark.parametrize("role", ROLES)
@by_role.parametrize()
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_what_each_role_is_answered_keeps_the_schema(case, role, program, db):
    _call(by_role, case, program, role, "by role")


# Parametrized (with one value) so that each operation's test has an id of its own: without a
# pytest parameter, schemathesis's items all share the function's id on pytest 9.
@pytest.mark.parametrize("prober", [IN_DEPTH_ROLE], ids=["as a role that may"])
@in_depth.parametrize()
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation_probed_in_depth_keeps_the_schema(case, prober, program, db):
    resource = case.operation.path.split("/")[5]
    _call(in_depth, case, program, prober.get(resource, "admin"), "in depth")


def _call(schema, case, program, role: str, run: str) -> None:
    case.path_parameters["program"] = program.slug
    if case.meta.generation.mode is GenerationMode.POSITIVE:
        resource = case.operation.path.split("/")[5]
        own = program.ids.get(f"{resource}:{role}", program.ids.get(resource))
        for name in ("id", "user_id"):
            if name in case.path_parameters:
                case.path_parameters[name] = own
    before = schema.app.requests
    try:
        case.call_and_validate(headers=program.headers[role])
    finally:
        key = f"{run} as {role}"
        REQUESTS[key] = REQUESTS.get(key, 0) + schema.app.requests - before


@pytest.fixture(scope="module", autouse=True)
def _summary_line(request):
    """At the end of the run, the requests the run made (issue 8 asks for the count)."""
    yield
    if REQUESTS:
        parts = "; ".join(f"{key}: {count}" for key, count in REQUESTS.items())
        line = f"schemathesis: {sum(REQUESTS.values())} requests ({parts})"
        request.config.pluginmanager.register(_SummaryLine(line))


class _SummaryLine:
    def __init__(self, line: str):
        self.line = line

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line(self.line)
