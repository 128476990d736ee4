"""The matrix on the API, role by role, each role with its own token: allowed (and it happened),
403 for a practice the caller sees but may not act on, 404 for one out of reach. Written out by
hand, like tests/permissions/test_matrix.py."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.permissions.cells import assert_cell, create_body, new_token, parse, state, target
from tests.tenancy.routes import program_routes

# theirs: the coach's assigned practice, the lead's and staff's own; other: none of theirs.
# A capability the role holds nowhere is refused (403) before any object is looked up, whatever
# the id, so it tells nothing about what exists (test_refusal_does_not_depend_on_the_id);
# the pages look the practice up first and answer 404 there.
# Invitations are for people managers, except that a lead may invite into their own practice
# (the body below invites into the lead's practice), as on the pages.
#  route                       method target       admin manager coach lead staff
API = """
practices-list                 GET    -            ok    ok      ok    ok   ok
practices-list                 POST   -            ok    403     403   403  403
practices-detail               GET    theirs       ok    ok      ok    ok   ok
practices-detail               GET    other        ok    ok      404   404  404
practices-detail               PATCH  theirs       ok    403     ok    ok   403
practices-detail               PUT    theirs       ok    403     ok    ok   403
practices-detail               PATCH  other        ok    403     404   404  403
practices-stage                POST   theirs       ok    403     ok    403  403
practices-stage                POST   other        ok    403     404   403  403
practices-stage-history        GET    theirs       ok    ok      ok    ok   ok
practices-stage-history        GET    other        ok    ok      404   404  404
coach-assignments-list         GET    -            ok    ok      ok    ok   ok
coach-assignments-list         POST   -            ok    403     403   403  403
coach-assignments-detail       GET    theirs       ok    ok      ok    ok   ok
coach-assignments-detail       GET    other        ok    ok      404   404  404
coach-assignments-detail       DELETE theirs       ok    403     403   403  403
coach-assignments-detail       DELETE other        ok    403     403   403  403
practice-memberships-list      GET    -            ok    ok      ok    ok   ok
practice-memberships-detail    GET    theirs       ok    ok      ok    ok   ok
practice-memberships-detail    GET    other        ok    ok      404   404  404
member-list                    GET    -            ok    ok      403   403  403
member-detail                  GET    member       ok    ok      403   403  403
invitation-list                GET    -            ok    ok      403   403  403
invitation-list                POST   -            ok    403     403   ok   403
invitation-detail              GET    invitation   ok    ok      403   403  403
invitation-resend              POST   invitation   ok    403     403   403  403
invitation-revoke              POST   invitation   ok    403     403   403  403
api-token-list                 GET    -            ok    ok      ok    ok   ok
api-token-list                 POST   -            ok    ok      ok    ok   ok
api-token-detail               GET    own_token    ok    ok      ok    ok   ok
api-token-detail               DELETE own_token    ok    ok      ok    ok   ok
api-token-detail               GET    someone_elses_token 404 404 404   404  404
"""


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "name", "role", "cell"), parse(API))
def test_api_cell(world, route, method, name, role, cell):
    user = world.user(role)
    aim = target(world, user, name, route)
    body = aim.body or create_body(world, route)
    url = reverse(route, kwargs={"program": world.program.slug, **aim.kwargs})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user).key}")
    before = state(world.program)
    send = getattr(client, method.lower())
    response = send(url) if method in ("GET", "DELETE") else send(url, body, format="json")
    assert_cell(response, cell, method, before, state(world.program), allowed_codes=(200, 201, 204))


def test_every_api_route_has_a_row():
    routes = {route.name for route in program_routes() if route.kind == "api"}
    covered = {line.split()[0] for line in API.strip().splitlines()}
    assert routes - covered == set(), "add these routes to API"
    assert covered - routes == set(), "API names routes that do not exist"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_other_practice"),
    [("admin", True), ("manager", True), ("coach", False), ("lead", False), ("staff", False)],
)
def test_the_practice_list_returns_exactly_the_practices_in_reach(world, role, sees_other_practice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, world.user(role)).key}")
    response = client.get(reverse("practices-list", kwargs={"program": world.program.slug}))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    expected = {world.practice.pk} | ({world.other_practice.pk} if sees_other_practice else set())
    assert ids == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "route", "method", "body"),
    [
        ("staff", "practices-detail", "PATCH", {"region": "East"}),
        ("lead", "practices-stage", "POST", {"stage": "pilot"}),
        ("coach", "coach-assignments-detail", "DELETE", None),
    ],
)
def test_refusal_does_not_depend_on_the_id(world, other_world, role, route, method, body):
    """Refused before any lookup: the same 403 for the caller's own practice's row, one out of
    reach, another program's and one that does not exist."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, world.user(role)).key}")
    if route.startswith("coach-assignments"):
        ids = [
            p.coach_assignments.model.all_programs.filter(practice=p).first().pk
            for p in (world.practice, world.other_practice, other_world.practice)
        ]
    else:
        ids = [world.practice.pk, world.other_practice.pk, other_world.practice.pk]
    answers = set()
    for pk in [*ids, 999_999]:
        url = reverse(route, kwargs={"program": world.program.slug, "pk": pk})
        response = getattr(client, method.lower())(url, body, format="json")
        answers.add((response.status_code, response.content))
    assert len(answers) == 1, answers
    assert answers.pop()[0] == 403
