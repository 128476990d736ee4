"""The plan pages, by role: drafting, the plan page and its inline forms, accepting, action
status changes, "my actions" and the practice page's panel."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStatus, GoalStatus, PlanAction, PlanGoal, PlanStatus, SupportPlan
from coaching.plans import services
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import assessment_in, instrument_in, make_acceptable


def url(name, world, **kwargs):
    return reverse(f"plans:{name}", kwargs={"program": world.program.slug, **kwargs})


def status_url(world, action):
    """Where an action's status moves, from the plan page as from the follow-up lists."""
    return reverse("actions:status", kwargs={"program": world.program.slug, "pk": action.pk})


def in_scope(world, fn):
    with program_scope(world.program):
        return fn()


def plan_of(world, plan) -> SupportPlan:
    return in_scope(world, lambda: SupportPlan.objects.get(pk=plan.pk))


def goals_of(world, plan) -> list[PlanGoal]:
    return in_scope(world, lambda: list(PlanGoal.objects.filter(plan=plan).order_by("position")))


def actions_of(world, plan) -> list[PlanAction]:
    return in_scope(
        world,
        lambda: list(PlanAction.objects.filter(plan=plan).order_by("goal__position", "position")),
    )


def accept(world, plan):
    make_acceptable(world, plan)
    with program_scope(world.program):
        return services.plan_accept(program=world.program, plan=plan, by=world.coach)


def person(world, other_world, outsider, who):
    return {"outsider": outsider, "other_program_admin": other_world.admin}.get(who) or (
        world.user(who)
    )


# Drafting ----------------------------------------------------------------------------------


def test_the_draft_page_shows_the_weak_domains_that_will_get_goals(client, world):
    _, version, _ = instrument_in(world.program)
    assessment = assessment_in(
        world.program, world.practice, version, {"workflow": 35, "ehr-use": 90}
    )
    client.force_login(world.coach)

    response = client.get(url("draft", world, assessment_pk=assessment.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Workflow and scheduling" in html
    assert "EHR / technology use" not in html
    assert "Draft the plan" in html


def test_a_coach_drafts_a_plan_from_a_submitted_assessment(client, world):
    _, version, _ = instrument_in(world.program)
    assessment = assessment_in(world.program, world.practice, version, {"workflow": 35})
    client.force_login(world.coach)

    response = client.post(url("draft", world, assessment_pk=assessment.pk))

    plan = in_scope(world, lambda: SupportPlan.objects.get(assessment=assessment))
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.created_by == world.coach


def test_drafting_twice_from_one_assessment_shows_why_and_drafts_nothing(client, world, drafted):
    client.force_login(world.coach)

    response = client.post(url("draft", world, assessment_pk=drafted.assessment.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "was already drafted from this assessment" in html
    assert in_scope(world, lambda: SupportPlan.objects.count()) == 1


def test_an_open_assessment_offers_no_draft(client, world):
    _, version, _ = instrument_in(world.program)
    assessment = assessment_in(
        world.program, world.practice, version, {"workflow": 35}, submitted=False
    )
    client.force_login(world.lead)

    page = client.get(url("draft", world, assessment_pk=assessment.pk)).content.decode()
    response = client.post(url("draft", world, assessment_pk=assessment.pk))

    assert "still open for answers" in page
    assert "Draft the plan" not in page
    assert "Only a submitted" in response.content.decode()
    assert in_scope(world, lambda: SupportPlan.objects.count()) == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("manager", 403),
        ("staff", 403),
        ("other_coach", 404),
        ("outsider", 404),
        ("other_program_admin", 404),
    ],
)
def test_drafting_is_refused_to_those_who_do_not_edit_the_practices_plans(
    client, world, other_world, outsider, who, status
):
    _, version, _ = instrument_in(world.program)
    assessment = assessment_in(world.program, world.practice, version, {"workflow": 35})
    client.force_login(person(world, other_world, outsider, who))

    response = client.post(url("draft", world, assessment_pk=assessment.pk))

    assert response.status_code == status
    assert in_scope(world, lambda: SupportPlan.objects.count()) == 0


# The plan page -----------------------------------------------------------------------------


def test_the_plan_page_shows_the_assessment_goals_and_actions(client, world, drafted):
    client.force_login(world.manager)

    response = client.get(drafted.plan.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        drafted.plan.title,
        "Workflow and scheduling",
        "35.0%",
        "Weak",
        "Offer same-day appointments",
        "Third-next-available appointment under 3 days",
        "Reserve same-day slots",
        "Use the EHR",
    ):
        assert text in html, text
    assert html.count('class="badge badge--danger">Weak') == 2


@pytest.mark.parametrize(
    ("who", "can_edit", "can_move"),
    [
        ("admin", True, True),
        ("coach", True, True),
        ("lead", True, True),
        ("manager", False, False),
        ("staff", False, True),
    ],
)
def test_the_plan_page_offers_forms_by_role(client, world, drafted, who, can_edit, can_move):
    accept(world, drafted.plan)
    client.force_login(world.user(who))

    response = client.get(drafted.plan.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["can"]["edit"] is can_edit
    assert response.context["can"]["move"] is can_move
    assert ("Edit the goal" in html) is can_edit
    assert ("Update status" in html) is can_move


@pytest.mark.parametrize("who", ["other_coach", "outsider", "other_program_admin"])
def test_a_plan_out_of_reach_answers_404(client, world, other_world, outsider, drafted, who):
    client.force_login(person(world, other_world, outsider, who))

    assert client.get(drafted.plan.get_absolute_url()).status_code == 404


def test_a_completed_plan_is_read_only(client, world, drafted):
    accept(world, drafted.plan)
    with program_scope(world.program):
        services.plan_complete(program=world.program, plan=drafted.plan, by=world.coach)
    client.force_login(world.coach)

    response = client.get(drafted.plan.get_absolute_url())

    assert not any(response.context["can"].values())
    assert "Edit the goal" not in response.content.decode()


# Editing -----------------------------------------------------------------------------------


def test_the_coach_edits_a_goal_inline(client, world, drafted):
    goal = goals_of(world, drafted.plan)[0]
    client.force_login(world.coach)

    response = client.post(
        url("goal_edit", world, plangoal_pk=goal.pk),
        {"title": "Same-day access", "measure": "TNAA < 2 days", "target_date": "2030-03-01"},
    )

    goal = in_scope(world, lambda: PlanGoal.objects.get(pk=goal.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#goal-{goal.pk}")
    assert (goal.title, goal.measure, str(goal.target_date)) == (
        "Same-day access",
        "TNAA < 2 days",
        "2030-03-01",
    )


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_those_who_do_not_edit_plans_get_403_and_change_nothing(client, world, drafted, who):
    goal = goals_of(world, drafted.plan)[0]
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.user(who))

    answers = [
        client.get(url("goal_edit", world, plangoal_pk=goal.pk)).status_code,
        client.post(url("goal_edit", world, plangoal_pk=goal.pk), {"title": "X"}).status_code,
        client.post(url("goal_remove", world, plangoal_pk=goal.pk)).status_code,
        client.post(url("action_edit", world, planaction_pk=action.pk), {"title": "X"}).status_code,
        client.post(url("edit", world, pk=drafted.plan.pk), {"title": "X"}).status_code,
        client.post(url("accept", world, pk=drafted.plan.pk)).status_code,
        client.post(
            url("goal_add", world, supportplan_pk=drafted.plan.pk), {"title": "X"}
        ).status_code,
    ]

    assert answers == [403] * len(answers)
    assert goals_of(world, drafted.plan)[0].title == goal.title
    assert len(goals_of(world, drafted.plan)) == 2
    assert plan_of(world, drafted.plan).status == PlanStatus.DRAFT


def test_an_invalid_goal_edit_shows_the_error_beside_the_field(client, world, drafted):
    goal = goals_of(world, drafted.plan)[0]
    client.force_login(world.coach)

    response = client.post(
        url("goal_edit", world, plangoal_pk=goal.pk), {"title": "", "target_date": "soon"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "target_date"}
    assert 'id="id_title_error"' in html
    assert "data-error-summary" in html
    assert in_scope(world, lambda: PlanGoal.objects.get(pk=goal.pk)).title == goal.title


def test_a_goal_is_added_from_the_library_with_its_actions(client, world, drafted):
    client.force_login(world.lead)

    response = client.post(
        url("goal_add", world, supportplan_pk=drafted.plan.pk),
        {"change_idea": drafted.ideas["privacy"].pk},
    )

    goal = goals_of(world, drafted.plan)[-1]
    assert response.status_code == 302
    assert goal.title == "Refresh consent forms"
    assert [a.title for a in actions_of(world, drafted.plan) if a.goal_id == goal.pk] == [
        "Review consent forms"
    ]


def test_a_goal_of_the_practices_own_needs_a_title(client, world, drafted):
    client.force_login(world.coach)

    response = client.post(
        url("goal_add", world, supportplan_pk=drafted.plan.pk), {"measure": "Something"}
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert len(goals_of(world, drafted.plan)) == 2


def test_a_goal_swaps_to_another_idea_of_its_domain(client, world, drafted):
    goal = goals_of(world, drafted.plan)[0]
    client.force_login(world.coach)
    page = client.get(drafted.plan.get_absolute_url()).content.decode()
    assert "Plan the day in a morning huddle" in page  # offered as the swap

    response = client.post(
        url("goal_swap", world, plangoal_pk=goal.pk),
        {"change_idea": drafted.ideas["workflow-2"].pk},
    )

    assert response.status_code == 302
    assert goals_of(world, drafted.plan)[0].title == "Plan the day in a morning huddle"


def test_a_swap_to_an_idea_of_another_domain_is_not_offered(client, world, drafted):
    goal = goals_of(world, drafted.plan)[0]
    client.force_login(world.coach)

    response = client.post(
        url("goal_swap", world, plangoal_pk=goal.pk), {"change_idea": drafted.ideas["privacy"].pk}
    )

    assert response.status_code == 200
    assert "change_idea" in response.context["form"].errors
    assert goals_of(world, drafted.plan)[0].change_idea_id == drafted.ideas["workflow"].pk


def test_an_action_is_added_with_an_owner_from_the_practice(client, world, drafted):
    goal = goals_of(world, drafted.plan)[1]
    client.force_login(world.coach)

    response = client.post(
        url("action_add", world, plangoal_pk=goal.pk),
        {"title": "Book the EHR trainer", "owner": world.staff.pk, "due_on": "2030-01-15"},
    )

    added = in_scope(world, lambda: PlanAction.objects.get(title="Book the EHR trainer"))
    assert response.status_code == 302
    assert (added.owner, added.goal_id) == (world.staff, goal.pk)


def test_an_owner_from_another_program_is_refused_beside_the_field(
    client, world, other_world, drafted
):
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.coach)

    response = client.post(
        url("action_edit", world, planaction_pk=action.pk),
        {"title": action.title, "owner": other_world.coach.pk},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert other_world.program.name not in html
    assert in_scope(world, lambda: PlanAction.objects.get(pk=action.pk)).owner is None


# Accepting, completing, discarding ---------------------------------------------------------


def test_accepting_an_incomplete_plan_lists_what_is_missing(client, world, drafted):
    client.force_login(world.coach)

    response = client.post(url("accept", world, pk=drafted.plan.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "needs an owner" in html
    assert "Reserve same-day slots" in html
    assert plan_of(world, drafted.plan).status == PlanStatus.DRAFT


def test_the_plan_page_shows_what_is_missing_before_accepting(client, world, drafted):
    client.force_login(world.coach)

    response = client.get(drafted.plan.get_absolute_url())

    assert response.context["problems"]
    assert "Still missing" in response.content.decode()


def test_the_coach_accepts_a_complete_plan(client, world, drafted):
    make_acceptable(world, drafted.plan)
    client.force_login(world.coach)

    response = client.post(url("accept", world, pk=drafted.plan.pk))

    assert response.status_code == 302
    assert plan_of(world, drafted.plan).status == PlanStatus.ACTIVE


def test_accepting_a_second_plan_asks_to_complete_the_active_one(client, world, drafted):
    accept(world, drafted.plan)
    _, version, _ = instrument_in(world.program, key="follow-up")
    follow_up = assessment_in(world.program, world.practice, version, {"workflow": 10})
    with program_scope(world.program):
        second = services.plan_draft_from_assessment(
            program=world.program, assessment=follow_up, by=world.coach
        )
    make_acceptable(world, second)
    client.force_login(world.coach)

    refused = client.post(url("accept", world, pk=second.pk))
    assert refused.status_code == 200
    assert "complete_active" in refused.context["form"].errors
    assert plan_of(world, second).status == PlanStatus.DRAFT

    response = client.post(url("accept", world, pk=second.pk), {"complete_active": "on"})

    assert response.status_code == 302
    assert plan_of(world, second).status == PlanStatus.ACTIVE
    assert plan_of(world, drafted.plan).status == PlanStatus.COMPLETED


def test_the_coach_completes_an_active_plan_after_confirming(client, world, drafted):
    accept(world, drafted.plan)
    client.force_login(world.coach)

    question = client.get(url("complete", world, pk=drafted.plan.pk))
    response = client.post(url("complete", world, pk=drafted.plan.pk))

    assert "Complete plan" in question.content.decode()
    assert response.status_code == 302
    assert plan_of(world, drafted.plan).status == PlanStatus.COMPLETED


def test_a_draft_is_discarded_and_the_list_is_shown(client, world, drafted):
    client.force_login(world.coach)

    response = client.post(url("discard", world, pk=drafted.plan.pk))

    assert response["Location"] == url("list", world)
    assert in_scope(world, lambda: SupportPlan.objects.count()) == 0


# Action status -----------------------------------------------------------------------------


def test_staff_move_an_action_of_their_practice_and_return_to_the_plan(client, world, drafted):
    accept(world, drafted.plan)
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.staff)

    response = client.post(
        status_url(world, action),
        {"status": "in_progress", "next": drafted.plan.get_absolute_url()},
    )

    assert response.status_code == 302
    assert response["Location"] == drafted.plan.get_absolute_url()
    assert actions_of(world, drafted.plan)[0].status == ActionStatus.IN_PROGRESS


def test_an_htmx_status_change_answers_with_the_row_and_the_progress(client, world, drafted):
    accept(world, drafted.plan)
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.staff)

    response = client.post(
        status_url(world, action),
        {
            "status": "done",
            "note": "Measured.",
            "next": drafted.plan.get_absolute_url(),
            "on_plan": "1",
        },
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="plan-action" id="action-{action.pk}"')
    assert "is now done" in html
    assert 'id="plan-progress" hx-swap-oob="true"' in html
    assert "<strong>1</strong> of 5 actions done" in html
    assert "Edit<span" not in html  # staff move actions but do not edit the plan


def test_the_coach_gets_the_plan_row_back_with_its_edit_form(client, world, drafted):
    accept(world, drafted.plan)
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.coach)

    response = client.post(
        status_url(world, action),
        {"status": "in_progress", "next": drafted.plan.get_absolute_url(), "on_plan": "1"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="plan-action" id="action-{action.pk}"')
    assert 'name="on_plan" value="1"' in html
    assert f'id="id_action{action.pk}_title"' in html


def test_dropping_an_action_asks_for_a_reason_and_changes_nothing_without_one(
    client, world, drafted
):
    accept(world, drafted.plan)
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.staff)

    plain = client.post(status_url(world, action), {"status": "dropped"})
    htmx = client.post(
        status_url(world, action),
        {"status": "dropped"},
        headers={"HX-Request": "true"},
    )

    assert plain.status_code == 200
    assert "note" in plain.context["form"].errors
    assert "Say why the action is dropped." in htmx.content.decode()
    assert f'id="id_status{action.pk}_note_error"' in htmx.content.decode()
    assert actions_of(world, drafted.plan)[0].status == ActionStatus.OPEN


def test_a_manager_cannot_move_actions(client, world, drafted):
    accept(world, drafted.plan)
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.manager)

    response = client.post(status_url(world, action), {"status": "done"})

    assert response.status_code == 403
    assert actions_of(world, drafted.plan)[0].status == ActionStatus.OPEN


def test_status_changes_never_redirect_off_site(client, world, drafted):
    accept(world, drafted.plan)
    action = actions_of(world, drafted.plan)[0]
    client.force_login(world.staff)

    response = client.post(
        status_url(world, action),
        {"status": "in_progress", "next": "https://evil.example.org/"},
    )

    assert response["Location"] == reverse(
        "actions:detail", kwargs={"program": world.program.slug, "pk": action.pk}
    )


# Lists -------------------------------------------------------------------------------------


def test_the_plan_list_shows_progress_and_filters_by_status(client, world, drafted):
    accept(world, drafted.plan)
    with program_scope(world.program):
        PlanGoal.objects.filter(plan=drafted.plan).update(status=GoalStatus.OPEN)
        PlanAction.objects.filter(pk=actions_of(world, drafted.plan)[0].pk).update(
            status=ActionStatus.DONE
        )
    client.force_login(world.coach)

    listed = client.get(url("list", world))
    filtered = client.get(url("list", world) + "?status=draft", headers={"HX-Request": "true"})

    html = listed.content.decode()
    assert drafted.plan.title in html
    assert "1 of 5" in html
    assert filtered.context["paginator"].count == 0
    assert "<html" not in filtered.content.decode()


def test_the_plan_list_shows_only_plans_in_reach(client, world, drafted):
    client.force_login(world.other_coach)

    response = client.get(url("list", world))

    assert response.context["paginator"].count == 0


def test_my_actions_lists_my_open_actions_of_active_plans_soonest_first(client, world, drafted):
    accept(world, drafted.plan)  # every action owned by the lead
    actions = actions_of(world, drafted.plan)
    with program_scope(world.program):
        PlanAction.objects.filter(pk=actions[0].pk).update(
            due_on=timezone.localdate() - timezone.timedelta(days=2)
        )
        PlanAction.objects.filter(pk=actions[1].pk).update(status=ActionStatus.DONE)
        PlanAction.objects.filter(pk=actions[2].pk).update(owner=world.staff)
    client.force_login(world.lead)

    response = client.get(reverse("actions:mine", kwargs={"program": world.program.slug}))

    listed = response.context["actions"]
    assert [a.pk for a in listed][0] == actions[0].pk
    assert {a.pk for a in listed} == {a.pk for a in actions} - {actions[1].pk, actions[2].pk}
    assert response.context["overdue_count"] == 1
    assert "Overdue" in response.content.decode()


# The practice page's panel ------------------------------------------------------------------


def render_panel(world, user, practice) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with program_scope(world.program):
        access = access_for(program=world.program, user=user)
        template = Template("{% load coaching_plans %}{% practice_plan_panel practice %}")
        return template.render(
            Context(
                {
                    "access": access,
                    "current_program": world.program,
                    "request": request,
                    "practice": practice,
                }
            )
        )


def test_the_practice_panel_shows_the_active_plans_progress_and_overdue_actions(world, drafted):
    accept(world, drafted.plan)
    first = actions_of(world, drafted.plan)[0]
    with program_scope(world.program):
        PlanAction.objects.filter(pk=first.pk).update(
            due_on=timezone.localdate() - timezone.timedelta(days=1)
        )

    html = render_panel(world, world.staff, world.practice)

    assert drafted.plan.title in html
    assert "0 of 5 actions done" in " ".join(
        html.replace("<strong>", "").replace("</strong>", "").split()
    )
    assert "1 overdue" in html
    assert first.title in html


def test_the_practice_panel_points_to_a_draft_waiting_for_acceptance(world, drafted):
    html = render_panel(world, world.lead, world.practice)

    assert "waiting to be reviewed and accepted" in html


def test_the_practice_panel_shows_nothing_to_someone_who_may_not_see_plans(world, drafted):
    assert render_panel(world, world.other_coach, world.practice).strip() == ""
