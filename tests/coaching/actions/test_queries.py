"""Query counts of the follow-up and feedback pages and endpoints do not grow with the data:
each is measured on a little data, the data is grown (more actions, owners, history steps,
visits, invitations, answers, coaches), and the count must not move."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.actions import services as action_services
from coaching.actions.history import step_line
from coaching.models import PlanStatus
from practices import derived
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import (
    ActionStatusChangeFactory,
    CoachAssignmentFactory,
    FeedbackInviteFactory,
    FeedbackResponseFactory,
    MembershipFactory,
    PlanActionFactory,
    PlanGoalFactory,
    PracticeFactory,
    SupportPlanFactory,
    UserFactory,
    VisitFactory,
)


def queries_for(client, path, **extra) -> int:
    client.get(path, **extra)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **extra).status_code == 200
    return len(captured)


def grow_actions(world, practice, count: int, *, start: int = 0) -> None:
    """`count` more actions of `practice`: half agreed at visits (no plan), half of an active
    plan's goals; owners, due dates (some overdue) and statuses varied; each with history."""
    plan = SupportPlanFactory(program=world.program, practice=practice, status=PlanStatus.ACTIVE)
    goal = PlanGoalFactory(program=world.program, plan=plan)
    visit = VisitFactory(program=world.program, practice=practice, coach=world.coach)
    owners = (world.lead, world.staff, world.coach, None)
    today = timezone.localdate()
    for i in range(start, start + count):
        from_visit = i % 2 == 0
        action = PlanActionFactory(
            program=world.program,
            practice=practice,
            goal=None if from_visit else goal,
            plan=None if from_visit else plan,
            visit=visit if from_visit else None,
            title=f"Action {i}",
            owner=owners[i % len(owners)],
            due_on=today + timedelta(days=i % 9 - 3),
            status=("open", "in_progress")[i % 2],
        )
        step = ActionStatusChangeFactory(
            program=world.program, action=action, changed_by=world.coach
        )
        step_line(step).save()


@pytest.mark.parametrize("who", ["lead", "coach", "manager"])
def test_a_practice_action_list_costs_the_same_for_2_and_20_actions(
    client, world, who, django_assert_num_queries
):
    grow_actions(world, world.practice, 2)
    client.force_login(world.user(who))
    path = reverse(
        "actions:practice",
        kwargs={"program": world.program.slug, "practice_pk": world.practice.pk},
    )
    expected = queries_for(client, path)

    grow_actions(world, world.practice, 18, start=2)

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["actions"]) == 20


@pytest.mark.parametrize(("who", "query"), [("lead", {}), ("coach", {}), ("admin", "owner")])
def test_a_persons_action_list_costs_the_same_as_actions_grow(
    client, world, who, query, django_assert_num_queries
):
    grow_actions(world, world.practice, 4)
    client.force_login(world.user(who))
    path = reverse("actions:mine", kwargs={"program": world.program.slug})
    if query == "owner":
        path += f"?owner={world.lead.pk}&status=any"
    expected = queries_for(client, path)

    grow_actions(world, world.practice, 24, start=4)
    grow_actions(world, world.other_practice, 8)

    with django_assert_num_queries(expected):
        client.get(path)


def test_an_actions_page_costs_the_same_for_1_and_12_history_steps(
    client, world, django_assert_num_queries
):
    grow_actions(world, world.practice, 1)
    with program_scope(world.program):
        action = world.practice.actions.get()
    client.force_login(world.lead)
    path = reverse("actions:detail", kwargs={"program": world.program.slug, "pk": action.pk})
    expected = queries_for(client, path)

    with program_scope(world.program):
        for i in range(11):
            action_services.action_status_change(
                program=world.program,
                action=action,
                status=("in_progress", "open")[i % 2],
                by=(world.lead, world.staff, world.coach)[i % 3],
            )

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["changes"]) == 12


def render_counted(world, user, source, context=None) -> tuple[int, str]:
    request = RequestFactory().get("/")
    request.user = user
    with program_scope(world.program):
        access = access_for(program=world.program, user=user)
        access.can("plan.view", world.practice.pk)  # roles loaded, as the page has done by now
        template = Template(source)
        with CaptureQueriesContext(connection) as captured:
            html = template.render(
                Context(
                    {
                        "access": access,
                        "current_program": world.program,
                        "request": request,
                        **(context or {}),
                    }
                )
            )
    return len(captured), html


def test_the_practice_panel_costs_two_queries_however_many_actions(world):
    source = "{% load coaching_followup %}{% practice_actions_panel practice %}"
    grow_actions(world, world.practice, 2)
    small, _ = render_counted(world, world.lead, source, {"practice": world.practice})

    grow_actions(world, world.practice, 30, start=2)
    large, html = render_counted(world, world.lead, source, {"practice": world.practice})

    assert small == large == 2
    assert "Action 0" in html or "Action 1" in html


def test_the_home_prompt_costs_one_query_however_many_invitations(world):
    source = "{% load coaching_followup %}{% home_feedback_prompt %}"

    def invite(days_ago):
        visit = VisitFactory(
            program=world.program,
            practice=world.practice,
            coach=(world.coach, world.other_coach)[days_ago % 2],
            visit_date=timezone.localdate() - timedelta(days=days_ago),
        )
        FeedbackInviteFactory(program=world.program, visit=visit, person=world.staff)

    invite(1)
    small, _ = render_counted(world, world.staff, source)
    for days_ago in range(2, 12):
        invite(days_ago)
    large, html = render_counted(world, world.staff, source)

    assert small == large == 1
    assert html.count("Give feedback<") == 5


def grow_feedback(world, visits: int, *, coaches=()) -> None:
    """`visits` more visits over the last year, spread over the coaches, each with invitations
    and answers (with comments)."""
    coaches = [world.coach, world.other_coach, *coaches]
    today = timezone.localdate()
    for i in range(visits):
        visit = VisitFactory(
            program=world.program,
            practice=world.practice,
            coach=coaches[i % len(coaches)],
            visit_date=today - timedelta(days=(i * 37) % 360),
        )
        for j in range(4):
            FeedbackInviteFactory(
                program=world.program,
                visit=visit,
                answered_at=timezone.now() if j < 3 else None,
            )
            if j < 3:
                FeedbackResponseFactory(
                    program=world.program,
                    visit=visit,
                    usefulness=1 + (i + j) % 5,
                    would_recommend=(i * 3 + j) % 11,
                    comment=f"Comment {i}.{j}",
                )


def more_coaches(world, count: int) -> list:
    people = []
    for i in range(count):
        coach = UserFactory(email=f"extra-coach-{i}@example.org", full_name=f"Extra Coach {i}")
        MembershipFactory(program=world.program, user=coach, role=ProgramRole.COACH)
        practice = PracticeFactory(program=world.program, name=f"Extra practice {i}")
        CoachAssignmentFactory(program=world.program, practice=practice, coach=coach)
        people.append(coach)
    return people


@pytest.mark.parametrize("who", ["manager", "coach"])
def test_the_results_page_costs_the_same_as_feedback_grows(
    client, world, who, django_assert_num_queries
):
    grow_feedback(world, 2)
    client.force_login(world.user(who))
    path = reverse("feedback:results", kwargs={"program": world.program.slug})
    expected = queries_for(client, path)

    grow_feedback(world, 20, coaches=more_coaches(world, 3))
    # In use these writes commit, and their summaries are kept, before anyone reads the page;
    # here they share the test's transaction, so hand them over now, not inside the read.
    derived.flush_pending()

    with django_assert_num_queries(expected):
        client.get(path)


@pytest.mark.parametrize(
    ("who", "endpoint"),
    [
        ("lead", "plan-actions/"),
        ("coach", "plan-actions/?source=visit"),
        ("staff", "feedback-invites/"),
        ("manager", "feedback-summary/"),
        ("coach", "feedback-summary/"),
    ],
)
def test_the_endpoints_cost_the_same_as_data_grows(
    api_client, world, who, endpoint, django_assert_num_queries
):
    grow_actions(world, world.practice, 2)
    grow_feedback(world, 2)
    FeedbackInviteFactory(
        program=world.program,
        visit=VisitFactory(program=world.program, practice=world.practice, coach=world.coach),
        person=world.staff,
    )
    api_client.force_authenticate(world.user(who))
    path = f"/api/v1/programs/{world.program.slug}/{endpoint}"
    expected = queries_for(api_client, path)

    grow_actions(world, world.practice, 20, start=2)
    grow_feedback(world, 12, coaches=more_coaches(world, 2))
    for _ in range(6):
        FeedbackInviteFactory(
            program=world.program,
            visit=VisitFactory(
                program=world.program, practice=world.practice, coach=world.other_coach
            ),
            person=world.staff,
        )
    derived.flush_pending()  # as above: the writes' summaries are kept before the read

    with django_assert_num_queries(expected):
        api_client.get(path)


def test_a_members_home_lists_their_own_open_actions_in_one_query(world):
    source = "{% load coaching_followup %}{% my_actions_panel %}"

    grow_actions(world, world.practice, 4)
    small, html = render_counted(world, world.lead, source)
    grow_actions(world, world.practice, 40, start=4)
    large, html = render_counted(world, world.lead, source)

    assert small == large == 1
    assert "Your actions" in html
    assert html.count('class="plan-panel__action"') == 5
    assert "All your actions" in html
    # Only the lead's own: "Action 1" belongs to the staff member (owners rotate lead, staff...).
    assert ">Action 1<" not in html
