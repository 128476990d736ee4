"""Query counts of the caseload, timeline and dose pages and endpoints do not grow with the data:
each is measured on a small program, the program is grown (more practices, each with visits,
planned visits, plans, actions done and overdue, assessments and stage moves), and the count
must not move."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStatus, ActionStatusChange, Activity, VisitStatus
from practices.models import StageChange
from psp.tenancy.scope import program_scope
from tests.coaching.caseload.test_pages import (
    action,
    active_plan,
    coached_practice,
    visit,
    visit_with_activities,
)
from tests.coaching.plans.test_queries import queries_for
from tests.factories import (
    AssessmentFactory,
    InstrumentFactory,
    InstrumentVersionFactory,
    PlanGoalFactory,
    PracticeMembershipFactory,
)


def give_history(world, practice, *, coach=None, visits: int = 3):
    """Visits (with activities), a planned one, an active plan with actions overdue, done and
    moved, a submitted assessment and a stage move."""
    coach = coach or world.coach
    for day in range(visits):
        visit_with_activities(
            world,
            practice,
            {Activity.WORKFLOW: 30, Activity.TECHNOLOGY: 15, Activity.OTHER: 5},
            days=day * 20,
            coach=coach,
        )
    visit(world, practice, days=-7, coach=coach, status=VisitStatus.PLANNED)
    visit(world, practice, days=2, coach=coach, status=VisitStatus.CANCELLED)
    plan = active_plan(world, practice)
    goal = PlanGoalFactory(program=world.program, plan=plan)
    action(world, plan, goal=goal, due_days_ago=5)
    done = action(world, plan, goal=goal, status=ActionStatus.DONE, completed_at=timezone.now())
    with program_scope(world.program):
        ActionStatusChange.objects.create(
            action=done, from_status=ActionStatus.OPEN, to_status=ActionStatus.DONE
        )
        StageChange.objects.create(practice=practice, from_stage="", to_stage="pilot")
    version = InstrumentVersionFactory(
        program=world.program, instrument=InstrumentFactory(program=world.program)
    )
    AssessmentFactory(
        program=world.program,
        practice=practice,
        version=version,
        status="submitted",
        submitted_at=timezone.now() - timedelta(days=300),
    )


def grow(world, practices: int = 6):
    """More practices for the world's coach (and lead), each with a history; more for the
    other coach too."""
    for i in range(practices):
        practice = coached_practice(world, f"Growth Practice {i:02}")
        PracticeMembershipFactory(program=world.program, practice=practice, user=world.lead)
        give_history(world, practice)
        theirs = coached_practice(world, f"Other Growth {i:02}", coach=world.other_coach)
        give_history(world, theirs, coach=world.other_coach)


def grow_one_practice(world, rounds: int = 3):
    for _ in range(rounds):
        give_history(world, world.practice, visits=5)


def page(name, world, **kwargs):
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


def assert_same_count(client, paths, grow_it, django_assert_num_queries, **extra):
    """Each path costs as many queries after `grow_it` as before, measured as queries_for
    does: after a first request, which for the program-wide caseload also brings the stored
    standings of the new practices up to date (that catch-up is measured on its own in
    tests/coaching/test_standings.py)."""
    expected = [queries_for(client, path, **extra) for path in paths]
    grow_it()
    for path, count in zip(paths, expected, strict=True):
        client.get(path, **extra)
        with django_assert_num_queries(count):
            assert client.get(path, **extra).status_code == 200


@pytest.fixture
def seeded(world):
    give_history(world, world.practice)
    give_history(world, world.other_practice, coach=world.other_coach)


def test_a_coachs_caseload_costs_the_same_for_1_and_7_practices(
    client, world, seeded, django_assert_num_queries
):
    client.force_login(world.coach)
    paths = [
        page("caseload:mine", world),
        page("caseload:mine", world) + "?status=attention",
        page("program_home", world),
    ]

    assert_same_count(client, paths, lambda: grow(world), django_assert_num_queries)

    entries = client.get(paths[0]).context["entries"]
    assert len(entries) == 7


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_the_overview_costs_the_same_for_2_and_14_practices(
    client, world, seeded, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    paths = [
        page("caseload:overview", world),
        page("caseload:overview", world) + f"?coach={world.coach.pk}&stage=pilot",
        page("program_home", world),
        page("caseload:rules", world),
    ]

    assert_same_count(client, paths, lambda: grow(world), django_assert_num_queries)

    assert len(client.get(paths[0]).context["entries"]) == 14


def test_the_overview_htmx_fragment_costs_the_same(
    client, world, seeded, django_assert_num_queries
):
    client.force_login(world.manager)
    paths = [page("caseload:overview", world) + "?status=stalled"]

    assert_same_count(
        client,
        paths,
        lambda: grow(world),
        django_assert_num_queries,
        headers={"HX-Request": "true"},
    )


@pytest.mark.parametrize("who", ["coach", "manager", "lead"])
def test_the_timeline_costs_the_same_for_a_short_and_a_long_history(
    client, world, seeded, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    timeline = page("practice_coaching:timeline", world, practice_pk=world.practice.pk)
    paths = [timeline, timeline + "?kinds=visits&kinds=actions"]

    assert_same_count(client, paths, lambda: grow_one_practice(world), django_assert_num_queries)

    response = client.get(timeline)
    assert response.context["timeline"].next_cursor is not None  # a second page exists
    older = client.get(timeline, {"before": response.context["timeline"].next_cursor})
    assert older.status_code == 200


@pytest.mark.parametrize("who", ["coach", "lead"])
def test_the_practice_dose_and_page_cost_the_same_as_visits_grow(
    client, world, seeded, who, django_assert_num_queries
):
    client.force_login(world.user(who))
    paths = [
        page("practice_coaching:dose", world, practice_pk=world.practice.pk),
        page("practice_coaching:dose_csv", world, practice_pk=world.practice.pk),
        world.practice.get_absolute_url(),
    ]

    assert_same_count(client, paths, lambda: grow_one_practice(world), django_assert_num_queries)


@pytest.mark.parametrize("group_by", ["month", "quarter", "coach", "practice", "mode", "activity"])
def test_the_dose_page_costs_the_same_as_practices_and_visits_grow(
    client, world, seeded, group_by, django_assert_num_queries
):
    client.force_login(world.manager)
    query = f"?group_by={group_by}"
    paths = [page("caseload:dose", world) + query, page("caseload:dose_csv", world) + query]

    assert_same_count(client, paths, lambda: grow(world), django_assert_num_queries)


@pytest.mark.parametrize(
    "endpoint",
    [
        "caseload/",
        "caseload/?status=stalled",
        "dose/",
        "dose/?group_by=activity",
        "caseload-rules/",
    ],
)
@pytest.mark.parametrize("who", ["coach", "manager"])
def test_the_caseload_endpoints_cost_the_same_as_the_program_grows(
    api_client, world, seeded, endpoint, who, django_assert_num_queries
):
    api_client.force_authenticate(world.user(who))
    path = f"/api/v1/programs/{world.program.slug}/{endpoint}"

    assert_same_count(api_client, [path], lambda: grow(world), django_assert_num_queries)
