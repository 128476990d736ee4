"""The API's OpenAPI document in schemathesis, answered in-process: for the schemathesis run
(test_schema_contract.py) and for the tests of single schema findings (test_schema_findings.py).

The document is the one /api/v1/schema/ serves (drf-spectacular's generator, without a
request). Requests go through Django's test handler, so they share the test's database
connection and transaction: each test's writes are rolled back with it.
"""

import functools
import json
from datetime import timedelta

import schemathesis
from django.test.client import ClientHandler
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from schemathesis.config import SchemathesisConfig

from coaching.models import PlanAction, Visit, VisitStatus
from psp.accounts.models import ApiToken
from psp.api.urls import PROGRAM_PREFIX, router
from psp.tenancy.scope import program_scope
from tests.tenancy.builders import one_of_everything

# What every answer is checked for: no 5xx, a status code the operation documents, the
# documented content type and headers, and a body its schema accepts.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)


class InProcessApp:
    """A WSGI app over Django's test handler, counting the requests it answers. (A plain
    WSGIHandler would close the database connection after each request, in the middle of the
    test's transaction; the test handler leaves it open, as the test client does.)"""

    def __init__(self):
        self.handler = ClientHandler(enforce_csrf_checks=True)
        self.requests = 0

    def __call__(self, environ, start_response):
        self.requests += 1
        response = self.handler(environ)
        headers = [*response.items()]
        headers += [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]


@functools.cache
def api_document() -> dict:
    """The OpenAPI document, as its JSON carries it (dates and decimals as strings)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(document, default=str))


def load_schema(*, seed: int = 0, generation: dict | None = None, phases: dict | None = None):
    """The document in schemathesis, with CHECKS on and the in-process app to call.
    `generation` and `phases` are schemathesis settings (as in its schemathesis.toml)."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": seed,
            "generation": {"database": "none", **(generation or {})},
            "phases": {"stateful": {"enabled": False}, **(phases or {})},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )
    schema = schemathesis.openapi.from_dict(api_document(), config=config)
    schema.app = InProcessApp()
    return schema


def operation(schema, method: str, path: str):
    """An operation by its path under the program, e.g. ("GET", "visits/{id}/")."""
    return schema["/api/v1/programs/{program}/" + path][method]


def token_header(world, user) -> dict:
    """The Authorization header of a new API token of `user` in the world's program, with the
    token's id under "token_id" for the paths that name it."""
    key, lookup, key_hash = ApiToken.new_key()
    with program_scope(world.program):
        token = ApiToken.objects.create(user=user, name="Schema", lookup=lookup, key_hash=key_hash)
    return {"Authorization": f"Token {key}"}, token.pk


def seed(world) -> dict[str, int]:
    """One row of every program-owned model (tests/tenancy/builders.py), plus the rows whose
    answers once broke the schema: a planned visit with a start time, and an action agreed at it
    that nobody owns. Returns, by resource (the path's first part), the id its detail paths use."""
    rows = one_of_everything(world)
    with program_scope(world.program):
        planned = Visit.objects.create(
            program=world.program,
            practice=world.practice,
            coach=world.coach,
            status=VisitStatus.PLANNED,
            visit_date=timezone.localdate() + timedelta(days=7),
            start_time="13:30",
            duration_minutes=60,
            purpose="Review the recall list",
        )
        agreed = PlanAction.objects.create(
            program=world.program,
            practice=world.practice,
            visit=planned,
            title="Print the recall list",
        )
    ids = {
        prefix.removeprefix(PROGRAM_PREFIX): rows[viewset.queryset.model].pk
        for prefix, viewset, _ in router.registry
        if getattr(viewset, "queryset", None) is not None
    }
    return ids | {
        "planned-visits": planned.pk,
        "plan-actions": agreed.pk,
        "feedback-summary": world.coach.pk,
    }
