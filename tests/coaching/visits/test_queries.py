"""Query counts of the visit pages, panels and endpoints do not grow with the data: each is
measured on a little data, the data is grown (more visits, attendees, goals, actions, versions),
and the count must not move."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import PlanStatus, Visit
from coaching.visits import services
from coaching.visits.inputs import VisitInput
from practices.models import CoachAssignment
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.factories import (
    CoachAssignmentFactory,
    PlanGoalFactory,
    PracticeFactory,
    PracticeMembershipFactory,
    SupportPlanFactory,
)

TODAY = timezone.localdate


def queries_for(client, path, **extra) -> int:
    client.get(path, **extra)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **extra).status_code == 200
    return len(captured)


def grow(world, practice=None, visits: int = 6) -> Visit:
    """Log `visits` rich visits (people, goals, actions, a later edit) and plan as many; returns
    the last logged one."""
    practice = practice or world.practice
    with program_scope(world.program):
        plan = SupportPlanFactory(
            program=world.program, practice=practice, status=PlanStatus.ACTIVE
        )
        goals = [PlanGoalFactory(program=world.program, plan=plan) for _ in range(3)]
        people = [
            PracticeMembershipFactory(program=world.program, practice=practice).user
            for _ in range(3)
        ]
        visit = None
        for i in range(visits):
            visit = services.visit_log(
                program=world.program,
                by=world.coach,
                practice=practice,
                visit=VisitInput(
                    visit_date=TODAY() - timedelta(days=i + 1),
                    duration_minutes=90,
                    activities={"workflow": 30, "cpd": 30, "data_review": 30},
                    attendees=people,
                    goals=goals,
                ),
                new_actions=[{"title": f"Action {i}.{j}", "owner": people[j]} for j in range(3)],
                next_visit={"visit_date": TODAY() + timedelta(days=i + 1)},
            )
            services.visit_update(
                program=world.program,
                by=world.coach,
                visit=visit,
                data={"notes": f"Edited {i}"},
                reason="Later note",
            )
    return visit


def first_visit(world) -> Visit:
    """One logged visit (returned) and one planned."""
    with program_scope(world.program):
        services.visit_plan(
            program=world.program,
            by=world.coach,
            practice=world.practice,
            visit_date=TODAY() + timedelta(days=10),
        )
        return services.visit_log(
            program=world.program,
            by=world.coach,
            practice=world.practice,
            visit=VisitInput(
                visit_date=TODAY() - timedelta(days=30),
                duration_minutes=60,
                activities={"workflow": 60},
                attendees=[world.lead],
            ),
            new_actions=[{"title": "First action", "owner": world.lead}],
        )


@pytest.mark.parametrize("who", ["coach", "manager", "lead"])
def test_the_visit_list_costs_the_same_for_2_and_14_visits(
    client, world, who, django_assert_num_queries
):
    first_visit(world)
    client.force_login(world.user(who))
    path = reverse("visits:list", kwargs={"program": world.program.slug})
    expected = queries_for(client, path)

    grow(world)

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.context["paginator"].count == 14


@pytest.mark.parametrize("who", ["coach", "staff"])
def test_the_visit_page_costs_the_same_for_a_small_and_a_rich_visit(
    client, world, who, django_assert_num_queries
):
    small = first_visit(world)
    client.force_login(world.user(who))
    expected = queries_for(client, small.get_absolute_url())

    rich = grow(world)

    with django_assert_num_queries(expected):
        response = client.get(rich.get_absolute_url())
    assert len(response.context["visit"].attendee_list) == 3
    assert len(response.context["visit"].action_list) == 3


def test_the_history_page_costs_the_same_for_1_and_5_edits(
    client, world, django_assert_num_queries
):
    visit = grow(world, visits=1)
    client.force_login(world.manager)
    path = reverse("visits:history", kwargs={"program": world.program.slug, "pk": visit.pk})
    expected = queries_for(client, path)

    with program_scope(world.program):
        for i in range(4):
            services.visit_update(
                program=world.program, by=world.coach, visit=visit, data={"notes": f"Again {i}"}
            )

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["changes"]) == 5


def render(world, user, source: str, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with program_scope(world.program):
        access = access_for(program=world.program, user=user)
        return Template(source).render(
            Context(
                {"access": access, "current_program": world.program, "request": request, **context}
            )
        )


def panel_queries(world, user) -> tuple[int, str]:
    source = "{% load coaching_visits %}{% practice_visits_panel practice %}"
    render(world, user, source, practice=world.practice)  # warm up the access caches
    with CaptureQueriesContext(connection) as captured:
        html = render(world, user, source, practice=world.practice)
    return len(captured), html


@pytest.mark.parametrize("who", ["coach", "manager", "staff"])
def test_the_practice_page_panel_costs_the_same_as_visits_grow(world, who):
    first_visit(world)
    before, _ = panel_queries(world, world.user(who))

    grow(world, visits=8)

    after, html = panel_queries(world, world.user(who))
    assert after == before
    assert html.count('<li class="visit-item') == 3 + 5  # next three planned, last five logged


def home_queries(world) -> tuple[int, str]:
    source = "{% load coaching_visits %}{% home_upcoming_visits %}"
    render(world, world.coach, source)
    with CaptureQueriesContext(connection) as captured:
        html = render(world, world.coach, source)
    return len(captured), html


def test_the_coach_home_upcoming_list_costs_the_same_as_visits_grow(world):
    first_visit(world)
    before, _ = home_queries(world)

    # More planned visits, also at a second practice of the coach's caseload.
    second = PracticeFactory(program=world.program)
    CoachAssignmentFactory(program=world.program, practice=second, coach=world.coach)
    grow(world, visits=4)
    grow(world, practice=second, visits=4)

    after, html = home_queries(world)
    assert after == before
    assert html.count('<li class="visit-item') == 1 + 8
    with program_scope(world.program):
        assert CoachAssignment.objects.filter(coach=world.coach).count() == 2


def test_the_coach_home_page_costs_the_same_as_visits_grow(
    client, world, django_assert_num_queries
):
    first_visit(world)
    client.force_login(world.coach)
    path = reverse("program_home", kwargs={"program": world.program.slug})
    expected = queries_for(client, path)

    grow(world)

    with django_assert_num_queries(expected):
        client.get(path)


@pytest.mark.parametrize(
    "endpoint", ["visits/", "visits/{pk}/", "planned-visits/", "visits/{pk}/history/"]
)
def test_the_visit_endpoints_cost_the_same_as_visits_grow(
    api_client, world, endpoint, django_assert_num_queries
):
    small = first_visit(world)
    api_client.force_authenticate(world.coach)
    base = f"/api/v1/programs/{world.program.slug}/"
    expected = queries_for(api_client, base + endpoint.format(pk=small.pk))

    rich = grow(world)

    with django_assert_num_queries(expected):
        api_client.get(base + endpoint.format(pk=rich.pk))
