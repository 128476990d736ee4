"""A practice lead's or staff member's home starts with what they have to do next, soonest due
first: the assessment rounds waiting for their answers (progress, due date, one link to their next
unanswered question), feedback asked of them, their open actions; then their active plan's goals
with progress. The page's query count does not grow with any of them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.rounds.models import AssessmentStatus
from coaching.models import ActionStatus, GoalStatus, PlanStatus
from coaching.next_steps import next_steps_for
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    DomainFactory,
    FeedbackInviteFactory,
    InstrumentVersionFactory,
    PlanActionFactory,
    PlanGoalFactory,
    QuestionFactory,
    ResponseFactory,
    SupportPlanFactory,
    VisitFactory,
)

TODAY = timezone.localdate
# The page's queries for a practice member: measured, and asserted so that a change is noticed
# (and explained). Four of them are the next steps (rounds, invitations, actions, goals); the
# feedback prompt and the actions panel the home showed before were one each.
HOME_QUERIES = 13


def home(world):
    return reverse("program_home", kwargs={"program": world.program.slug})


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def instrument(world, sizes=(2, 3)):
    """A published version whose domains hold `sizes` questions: (version, questions by domain)."""
    version = InstrumentVersionFactory(program=world.program)
    domains = []
    for position, size in enumerate(sizes):
        domain = DomainFactory(program=world.program, version=version, position=position)
        domains.append(
            [
                QuestionFactory(program=world.program, version=version, domain=domain, position=n)
                for n in range(size)
            ]
        )
    return version, domains


def open_round(world, version, *, practice=None, due_in=15, **kwargs):
    return AssessmentFactory(
        program=world.program,
        practice=practice or world.practice,
        version=version,
        due_on=TODAY() + timedelta(days=due_in) if due_in is not None else None,
        **kwargs,
    )


def answer(world, assessment, person, questions, **response_fields):
    response = ResponseFactory(
        program=world.program, assessment=assessment, respondent=person, **response_fields
    )
    for question in questions:
        AnswerFactory(program=world.program, response=response, question=question)
    return response


def steps_of(world, person):
    with program_scope(world.program):
        access = access_for(program=world.program, user=person)
        return next_steps_for(access=access, user=person, program_slug=world.program.slug)


def answer_url(world, assessment):
    return reverse(
        "assessments:answer", kwargs={"program": world.program.slug, "pk": assessment.pk}
    )


# The assessment waiting --------------------------------------------------------------------------


def test_staff_see_the_round_waiting_and_one_link_to_their_next_unanswered_question(client, world):
    version, (first, second) = instrument(world)
    assessment = open_round(world, version, due_in=15)
    answer(world, assessment, world.staff, [*first, second[0]])
    client.force_login(world.staff)

    response = client.get(home(world))

    html = text_of(response)
    due = (TODAY() + timedelta(days=15)).strftime("%-d %b %Y")
    assert "Your next steps" in html
    assert version.instrument.name in html
    assert "<strong>3 of 5</strong> answered" in html
    assert "Due <time datetime" in html and due in html
    link = f"{answer_url(world, assessment)}?step=2#question-{second[1].pk}"
    assert f'href="{link}"' in html
    assert "Continue answering" in html


def test_the_link_opens_the_step_holding_that_question(client, world):
    version, (first, second) = instrument(world)
    assessment = open_round(world, version)
    answer(world, assessment, world.staff, [*first, second[0]])
    client.force_login(world.staff)
    (step,) = steps_of(world, world.staff).steps

    page = client.get(step.item.next_url.split("#")[0])

    assert page.status_code == 200
    assert f'id="question-{second[1].pk}"' in page.content.decode()
    assert page.context["step"] == 2


def test_a_round_not_started_links_to_its_first_question(world):
    version, (first, _second) = instrument(world)
    assessment = open_round(world, version)

    (step,) = steps_of(world, world.lead).steps

    assert step.kind == "assessment"
    assert (step.item.answered, step.item.total, step.item.started) == (0, 5, False)
    assert step.item.next_url == f"{answer_url(world, assessment)}?step=1#question-{first[0].pk}"


def test_a_round_fully_answered_but_not_submitted_links_to_its_last_step(world):
    version, (first, second) = instrument(world)
    assessment = open_round(world, version)
    answer(world, assessment, world.staff, [*first, *second])

    (step,) = steps_of(world, world.staff).steps

    assert step.item.all_answered
    assert step.item.next_url == f"{answer_url(world, assessment)}?step=2"


def test_rounds_submitted_closed_or_of_another_practice_are_not_waiting(world):
    version, (first, _second) = instrument(world)
    answer(world, open_round(world, version), world.staff, first, submitted_at=timezone.now())
    open_round(world, version, status=AssessmentStatus.SUBMITTED)
    open_round(world, version, practice=world.other_practice)

    assert steps_of(world, world.staff).steps == []


# Everything in order of due date ---------------------------------------------------------------


def test_next_steps_come_soonest_due_first_overdue_first_undated_last(world):
    version, _domains = instrument(world)
    open_round(world, version, due_in=15)
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    goal = PlanGoalFactory(program=world.program, plan=plan)
    for title, due_in in (("Later", 30), ("Overdue", -3), ("Undated", None)):
        PlanActionFactory(
            program=world.program,
            goal=goal,
            owner=world.staff,
            title=title,
            due_on=TODAY() + timedelta(days=due_in) if due_in is not None else None,
        )
    PlanActionFactory(program=world.program, goal=goal, owner=world.lead, title="The lead's")
    visit = VisitFactory(program=world.program, practice=world.practice, coach=world.coach)
    FeedbackInviteFactory(program=world.program, visit=visit, person=world.staff)

    found = steps_of(world, world.staff)

    kinds = [(step.kind, getattr(step.item, "title", None), step.overdue) for step in found.steps]
    assert kinds == [
        ("action", "Overdue", True),
        ("assessment", None, False),
        ("feedback", None, False),  # asked for 30 days after the visit
        ("action", "Later", False),
        ("action", "Undated", False),
    ]
    assert found.overdue_count == 1


def test_the_home_shows_feedback_among_the_next_steps_not_above_them(client, world):
    visit = VisitFactory(program=world.program, practice=world.practice, coach=world.coach)
    invite = FeedbackInviteFactory(program=world.program, visit=visit, person=world.lead)
    client.force_login(world.lead)

    html = text_of(client.get(home(world)))

    assert "Feedback asked of you" in html
    assert "Your feedback, please" not in html
    with program_scope(world.program):
        assert html.count(f'href="{invite.get_absolute_url()}"') == 1


def test_nothing_waiting_is_said_plainly(client, world):
    client.force_login(world.staff)

    html = text_of(client.get(home(world)))

    assert "Nothing is waiting for you" in html


# The plan's goals --------------------------------------------------------------------------------


def test_the_active_plans_goals_show_their_progress(client, world):
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    goal = PlanGoalFactory(program=world.program, plan=plan, title="Same-day access")
    PlanActionFactory(program=world.program, goal=goal, status=ActionStatus.DONE)
    PlanActionFactory(program=world.program, goal=goal)
    PlanActionFactory(program=world.program, goal=goal, status=ActionStatus.DROPPED)
    PlanGoalFactory(
        program=world.program, plan=plan, title="Achieved goal", status=GoalStatus.ACHIEVED
    )
    PlanGoalFactory(
        program=world.program, plan=plan, title="Dropped goal", status=GoalStatus.DROPPED
    )
    draft = SupportPlanFactory(program=world.program, practice=world.practice)
    PlanGoalFactory(program=world.program, plan=draft, title="A draft's goal")
    client.force_login(world.staff)

    html = text_of(client.get(home(world)))

    assert "Goals of the support plan" in html
    assert "Same-day access" in html and "1 of 2 actions done" in html
    assert "<strong>1</strong> of 2 goals achieved" in html
    assert "Dropped goal" not in html and "A draft's goal" not in html
    assert html.index("Your next steps") < html.index("Goals of the support plan")
    assert html.index("Goals of the support plan") < html.index(">Colleagues<")


# Who is signed in --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "role"), [("lead", "practice lead of"), ("staff", "practice staff at")]
)
def test_practice_people_are_named_by_their_role_in_their_practice(client, world, who, role):
    client.force_login(world.user(who))

    html = text_of(client.get(home(world)))

    assert f"Signed in as {role} {world.practice.name}" in html
    assert "practice member" not in html


def test_a_manager_is_signed_in_as_program_manager(client, world):
    client.force_login(world.manager)

    assert "Signed in as program manager" in text_of(client.get(home(world)))


# Queries -----------------------------------------------------------------------------------------


def grow(world, version, domains, count):
    """`count` more of everything the next steps read, for the staff member."""
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    for i in range(count):
        assessment = open_round(world, version, due_in=i)
        answer(world, assessment, world.staff, domains[0][: i % 2 + 1])
        goal = PlanGoalFactory(program=world.program, plan=plan, title=f"Goal {i}")
        for status in (ActionStatus.OPEN, ActionStatus.DONE):
            PlanActionFactory(program=world.program, goal=goal, owner=world.staff, status=status)
        visit = VisitFactory(program=world.program, practice=world.practice, coach=world.coach)
        FeedbackInviteFactory(program=world.program, visit=visit, person=world.staff)


def queries_for(client, path) -> int:
    client.get(path)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_practice_home_costs_the_same_however_much_is_waiting(
    client, world, django_assert_num_queries
):
    version, domains = instrument(world)
    grow(world, version, domains, 1)
    client.force_login(world.staff)
    expected = queries_for(client, home(world))

    grow(world, version, domains, 6)

    with django_assert_num_queries(expected):
        response = client.get(home(world))
    assert expected == HOME_QUERIES, expected
    html = text_of(response)
    assert html.count("Continue answering") == 7
    assert html.count("Give feedback<") == 5  # the home asks about five visits at most
