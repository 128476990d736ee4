"""Query counts do not grow with the number of practices, coaches, staff or history rows.

Each test measures a page or endpoint with 2 practices, grows the data tenfold, and asserts the
same number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices import derived, selectors, services
from practices.models import Stage
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import (
    CoachAssignmentFactory,
    MembershipFactory,
    PracticeFactory,
    PracticeMembershipFactory,
    UserFactory,
)

STAGES = list(Stage.values)


def grow(world, practices: int = 18) -> None:
    """Add practices, each with its own coach, a staff member and a stage move."""
    for i in range(practices):
        practice = PracticeFactory(program=world.program, name=f"Growth Practice {i:02}")
        coach = UserFactory(email=f"growth-coach-{i}@example.org")
        MembershipFactory(program=world.program, user=coach, role=ProgramRole.COACH)
        CoachAssignmentFactory(program=world.program, practice=practice, coach=coach)
        # The world's coach and lead reach every new practice too, so their pages grow as well.
        CoachAssignmentFactory(program=world.program, practice=practice, coach=world.coach)
        PracticeMembershipFactory(program=world.program, practice=practice, user=world.lead)
        with program_scope(world.program):
            services.practice_stage_move(
                program=world.program,
                practice=practice,
                to_stage=STAGES[1 + i % 6],
                by=world.admin,
            )


def grow_one_practice(world, rows: int = 10) -> None:
    """Give world.practice more coaches, staff and stage history."""
    for i in range(rows):
        coach = UserFactory(email=f"extra-coach-{i}@example.org")
        MembershipFactory(program=world.program, user=coach, role=ProgramRole.COACH)
        CoachAssignmentFactory(program=world.program, practice=world.practice, coach=coach)
        PracticeMembershipFactory(
            program=world.program, practice=world.practice, user=UserFactory(), role="staff"
        )
        with program_scope(world.program):
            services.practice_stage_move(
                program=world.program,
                practice=world.practice,
                to_stage=STAGES[1 + i % 6] if i % 2 == 0 else STAGES[0],
                by=world.admin,
            )


def queries_for(client, path, **extra) -> int:
    client.get(path, **extra)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **extra).status_code == 200
    return len(captured)


def page(name, world, **kwargs):
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


@pytest.mark.parametrize("who", ["admin", "coach", "lead"])
def test_the_practice_list_costs_the_same_for_2_and_20_practices(
    client, world, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    path = page("practices:list", world)
    expected = queries_for(client, path)

    grow(world)

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["practices"]) == (20 if who == "admin" else 19)


def test_the_filtered_htmx_list_costs_the_same_for_2_and_20_practices(
    client, world, django_assert_num_queries
):
    client.force_login(world.admin)
    path = page("practices:list", world) + f"?coach={world.coach.pk}&q=a"
    expected = queries_for(client, path, headers={"HX-Request": "true"})

    grow(world)

    with django_assert_num_queries(expected):
        client.get(path, headers={"HX-Request": "true"})


@pytest.mark.parametrize("who", ["admin", "coach", "lead"])
def test_the_program_home_costs_the_same_for_2_and_20_practices(
    client, world, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    path = page("program_home", world)
    expected = queries_for(client, path)

    grow(world)

    client.get(path)  # the admin's home brings the new practices' caseload standings up to date
    with django_assert_num_queries(expected):
        client.get(path)


@pytest.mark.parametrize("who", ["admin", "lead"])
def test_the_practice_page_costs_the_same_with_many_coaches_staff_and_moves(
    client, world, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    path = page("practices:detail", world, pk=world.practice.pk)
    expected = queries_for(client, path)

    grow_one_practice(world)
    # As the growth's commit would: the page reads the dose summary, which first hands over
    # its own transaction's unflushed writes, and a request never inherits another's.
    derived.flush_pending()

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["practice"].history) == 10


def test_the_practices_api_costs_the_same_for_2_and_20_practices(
    api_client, world, django_assert_num_queries
):
    api_client.force_authenticate(world.admin)
    path = f"/api/v1/programs/{world.program.slug}/practices/"
    expected = queries_for(api_client, path)

    grow(world)

    with django_assert_num_queries(expected):
        response = api_client.get(path)
    assert response.json()["count"] == 20


@pytest.mark.parametrize(
    "endpoint", ["coach-assignments", "practice-memberships", "practices/{pk}/stage-history"]
)
def test_the_other_endpoints_cost_the_same_for_2_and_20_practices(
    api_client, world, endpoint, django_assert_num_queries
):
    with program_scope(world.program):  # a history of one row, so the baseline lists rows too
        services.practice_stage_move(
            program=world.program, practice=world.practice, to_stage=Stage.PILOT, by=world.admin
        )
    api_client.force_authenticate(world.admin)
    path = f"/api/v1/programs/{world.program.slug}/" + endpoint.format(pk=world.practice.pk) + "/"
    expected = queries_for(api_client, path)

    grow(world)
    grow_one_practice(world)

    with django_assert_num_queries(expected):
        api_client.get(path)


def test_the_list_selector_joins_coaches_in_one_extra_query(world, django_assert_num_queries):
    grow(world)
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.admin)
        with django_assert_num_queries(2):  # the practices, then all their coaches at once
            rows = [
                (p.name, [a.coach.full_name for a in p.coach_list])
                for p in selectors.practice_list(access=access)
            ]
    assert len(rows) == 20
