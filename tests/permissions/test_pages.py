"""The matrix on the pages, role by role: allowed (and it happened), 403 for a practice the
person sees but may not act on, 404 for one out of their reach. Written out by hand, like
tests/permissions/test_matrix.py, so a change of behaviour has to be a change of this table."""

import pytest
from django.urls import reverse

from tests.permissions.cells import assert_cell, create_body, parse, state, target
from tests.tenancy.routes import program_routes

# theirs: the coach's assigned practice, the lead's and staff's own; other: none of theirs.
#  route                       method target       admin manager coach lead staff
PAGES = """
program_home                   GET   -             ok    ok      ok    ok   ok
practices:list                 GET   -             ok    ok      ok    ok   ok
practices:create               GET   -             ok    403     403   403  403
practices:create               POST  -             ok    403     403   403  403
practices:detail               GET   theirs        ok    ok      ok    ok   ok
practices:detail               GET   other         ok    ok      404   404  404
practices:edit                 GET   theirs        ok    403     ok    ok   403
practices:edit                 POST  theirs        ok    403     ok    ok   403
practices:edit                 POST  other         ok    403     404   404  404
practices:stage_move           GET   theirs        ok    403     ok    403  403
practices:stage_move           POST  theirs        ok    403     ok    403  403
practices:stage_move           POST  other         ok    403     404   404  404
practices:coach_assign         POST  theirs        ok    403     403   403  403
practices:coach_assign         POST  other         ok    403     404   404  404
practices:coach_unassign       POST  theirs        ok    403     403   403  403
practices:coach_unassign       POST  other         ok    403     404   404  404
practices:member_remove        POST  theirs        ok    403     403   ok   403
practices:member_remove        POST  other         ok    403     404   404  404
people:list                    GET   -             ok    ok      403   403  403
people:invite                  GET   -             ok    403     403   ok   403
people:invite                  POST  -             ok    403     403   ok   403
people:member_role             POST  member        ok    403     403   403  403
people:member_deactivate       POST  member        ok    403     403   403  403
people:member_reactivate       POST  inactive      ok    403     403   403  403
people:invitation_resend       POST  invitation    ok    403     403   403  403
people:invitation_revoke       POST  invitation    ok    403     403   403  403
tokens:list                    GET   -             ok    ok      ok    ok   ok
tokens:list                    POST  -             ok    ok      ok    ok   ok
tokens:revoke                  POST  own_token     ok    ok      ok    ok   ok
tokens:revoke                  POST  someone_elses_token 404 404 404   404  404
"""


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "name", "role", "cell"), parse(PAGES))
def test_page_cell(client, world, route, method, name, role, cell):
    user = world.user(role)
    aim = target(world, user, name, route)
    body = aim.body or create_body(world, route)
    url = reverse(route, kwargs={"program": world.program.slug, **aim.kwargs})
    client.force_login(user)
    before = state(world.program)
    response = client.get(url) if method == "GET" else client.post(url, body)
    assert_cell(response, cell, method, before, state(world.program), allowed_codes=(200, 302))


def test_every_program_page_has_a_row():
    pages = {route.name for route in program_routes() if route.kind == "page"}
    covered = {line.split()[0] for line in PAGES.strip().splitlines()}
    assert pages - covered == set(), "add these pages to PAGES"
    assert covered - pages == set(), "PAGES names pages that do not exist"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_other_practice"),
    [("admin", True), ("manager", True), ("coach", False), ("lead", False), ("staff", False)],
)
def test_the_practice_list_shows_exactly_the_practices_in_reach(
    client, world, role, sees_other_practice
):
    client.force_login(world.user(role))
    page = client.get(reverse("practices:list", kwargs={"program": world.program.slug}))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.practice.name in text
    assert (world.other_practice.name in text) is sees_other_practice
