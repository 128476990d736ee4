"""The plan services: drafting from an assessment, editing, accepting, completing, and moving
actions along."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.actions import services as action_services
from coaching.models import ActionStatus, GoalStatus, PlanAction, PlanGoal, PlanStatus, SupportPlan
from coaching.plans import services
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import (
    assessment_in,
    idea_in,
    instrument_in,
    library_in,
    make_acceptable,
)
from tests.factories import MembershipFactory, PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.usefixtures("in_program")


def goals_of(plan) -> list[PlanGoal]:
    return list(PlanGoal.objects.filter(plan=plan).order_by("position"))


def actions_of(goal) -> list[PlanAction]:
    return list(PlanAction.objects.filter(goal=goal).order_by("position"))


def draft(world, assessment, by=None):
    return services.plan_draft_from_assessment(
        program=world.program, assessment=assessment, by=by or world.coach
    )


def accepted(world, plan, **kwargs):
    make_acceptable(world, plan)
    return services.plan_accept(program=world.program, plan=plan, by=world.coach, **kwargs)


# Drafting ----------------------------------------------------------------------------------


def test_a_draft_has_one_goal_per_weak_domain_weakest_first(world, drafted):
    plan = drafted.plan

    goals = goals_of(plan)

    assert plan.status == PlanStatus.DRAFT
    assert plan.assessment == drafted.assessment
    assert plan.practice == world.practice
    assert plan.created_by == world.coach
    assert [g.domain_key for g in goals] == ["workflow", "ehr-use"]
    assert [g.baseline_percent for g in goals] == [Decimal("35.0"), Decimal("52.5")]
    assert [g.domain_name for g in goals] == ["Workflow and scheduling", "EHR / technology use"]


def test_each_drafted_goal_comes_from_the_best_change_idea_of_its_domain(world, drafted):
    workflow, ehr = goals_of(drafted.plan)

    assert workflow.change_idea == drafted.ideas["workflow"]  # not the second workflow idea
    assert workflow.title == "Offer same-day appointments"
    assert workflow.measure == "Third-next-available appointment under 3 days"
    assert workflow.kpi_key == "tnaa"
    assert workflow.target_date == timezone.localdate() + timedelta(days=90)
    assert ehr.change_idea == drafted.ideas["ehr-use"]


def test_drafted_actions_are_the_ideas_suggestions_without_owners_due_across_the_period(
    world, drafted
):
    workflow, _ = goals_of(drafted.plan)

    actions = actions_of(workflow)

    assert [a.title for a in actions] == [
        "Measure third-next-available",
        "Reserve same-day slots",
        "Review weekly",
    ]
    assert all(a.owner is None and a.status == ActionStatus.OPEN for a in actions)
    dues = [a.due_on for a in actions]
    assert dues == sorted(dues)
    assert dues[0] > timezone.localdate()
    assert dues[-1] == workflow.target_date
    assert all(a.plan_id == drafted.plan.pk for a in actions)


def test_a_weak_domain_without_a_library_entry_gets_a_goal_to_fill_in(world):
    instrument, version, _ = instrument_in(world.program)
    library_in(world.program, instrument)  # nothing for "quality"
    assessment = assessment_in(world.program, world.practice, version, {"quality": 20})

    [goal] = goals_of(draft(world, assessment))

    assert goal.change_idea is None
    assert goal.title == "Strengthen quality measurement"
    assert goal.measure == ""
    assert actions_of(goal) == []


def test_retired_change_ideas_are_not_proposed(world):
    instrument, version, _ = instrument_in(world.program)
    idea_in(world.program, instrument, "privacy", "Old idea", is_active=False)
    idea_in(world.program, instrument, "privacy", "Current idea", position=5)
    assessment = assessment_in(world.program, world.practice, version, {"privacy": 10})

    [goal] = goals_of(draft(world, assessment))

    assert goal.title == "Current idea"


def test_when_nothing_is_weak_the_two_weakest_domains_below_100_are_proposed_with_a_note(world):
    instrument, version, _ = instrument_in(world.program, weak_threshold=50)
    library_in(world.program, instrument)
    scores = {"team-roles": 100, "workflow": 90, "ehr-use": 70, "privacy": 100, "quality": 85}
    assessment = assessment_in(world.program, world.practice, version, scores)

    plan = draft(world, assessment)

    assert [g.domain_key for g in goals_of(plan)] == ["ehr-use", "quality"]
    assert "No domain scored below 50%" in plan.summary


def test_a_perfect_assessment_drafts_an_empty_plan_that_says_why(world):
    _, version, _ = instrument_in(world.program)
    assessment = assessment_in(world.program, world.practice, version, {"workflow": 100})

    plan = draft(world, assessment)

    assert goals_of(plan) == []
    assert "Every domain scored 100%" in plan.summary


def test_domains_with_every_question_not_applicable_are_not_proposed(world):
    _, version, _ = instrument_in(world.program)
    assessment = assessment_in(
        world.program, world.practice, version, {"privacy": None, "workflow": 40}
    )

    assert [g.domain_key for g in goals_of(draft(world, assessment))] == ["workflow"]


def test_an_assessment_still_open_cannot_be_drafted_from(world):
    _, version, _ = instrument_in(world.program)
    assessment = assessment_in(
        world.program, world.practice, version, {"workflow": 40}, submitted=False
    )

    with pytest.raises(ValidationError) as error:
        draft(world, assessment)

    assert "submitted" in error.value.message_dict["assessment"][0]
    assert not SupportPlan.objects.exists()


def test_a_second_draft_from_the_same_assessment_is_refused_while_the_first_is_open(world, drafted):
    with pytest.raises(ValidationError) as error:
        draft(world, drafted.assessment)

    assert drafted.plan.title in error.value.message_dict["assessment"][0]
    assert SupportPlan.objects.count() == 1


def test_a_second_draft_is_refused_while_the_first_is_active_and_allowed_once_completed(
    world, drafted
):
    accepted(world, drafted.plan)
    with pytest.raises(ValidationError):
        draft(world, drafted.assessment)

    services.plan_complete(program=world.program, plan=drafted.plan, by=world.coach)
    again = draft(world, drafted.assessment)

    assert again.status == PlanStatus.DRAFT
    assert SupportPlan.objects.count() == 2


def test_an_assessment_of_another_program_is_refused(world, other_world):
    with program_scope(other_world.program):
        _, version, _ = instrument_in(other_world.program)
        theirs = assessment_in(other_world.program, other_world.practice, version, {"workflow": 9})

    with pytest.raises(ValidationError, match="another program"):
        draft(world, theirs)


# Editing -----------------------------------------------------------------------------------


def test_a_plan_title_and_summary_change_while_it_is_open(world, drafted):
    plan = services.plan_update(
        program=world.program,
        plan=drafted.plan,
        by=world.coach,
        data={"title": "  Our plan  ", "summary": "Agreed with Dr Shah."},
    )

    assert (plan.title, plan.summary) == ("Our plan", "Agreed with Dr Shah.")


def test_a_completed_plan_cannot_be_changed(world, drafted):
    accepted(world, drafted.plan)
    services.plan_complete(program=world.program, plan=drafted.plan, by=world.coach)
    goal = goals_of(drafted.plan)[0]

    for change in (
        lambda: services.plan_update(
            program=world.program, plan=drafted.plan, by=world.coach, data={"title": "New"}
        ),
        lambda: services.goal_remove(program=world.program, goal=goal, by=world.coach),
        lambda: action_services.action_add(
            program=world.program, goal=goal, by=world.coach, title="X"
        ),
    ):
        with pytest.raises(ValidationError, match="completed"):
            change()
    assert SupportPlan.objects.get(pk=drafted.plan.pk).title != "New"


def test_a_free_text_goal_needs_a_title(world, drafted):
    with pytest.raises(ValidationError) as error:
        services.goal_add(program=world.program, plan=drafted.plan, by=world.coach, title=" ")

    assert "title" in error.value.message_dict
    assert len(goals_of(drafted.plan)) == 2


def test_a_free_text_goal_for_a_domain_takes_the_domains_baseline(world, drafted):
    goal = services.goal_add(
        program=world.program,
        plan=drafted.plan,
        by=world.coach,
        title="Agree a privacy lead",
        measure="Named in the staff handbook",
        domain_key="privacy",
    )

    assert goal.position == 2
    assert (goal.domain_name, goal.baseline_percent) == ("Privacy and consent", Decimal("80.0"))
    assert goal.target_date == timezone.localdate() + timedelta(days=90)


def test_a_goal_from_the_library_brings_its_suggested_actions(world, drafted):
    goal = services.goal_add(
        program=world.program,
        plan=drafted.plan,
        by=world.coach,
        change_idea=drafted.ideas["privacy"],
    )

    assert goal.title == "Refresh consent forms"
    assert goal.baseline_percent == Decimal("80.0")
    assert [a.title for a in actions_of(goal)] == ["Review consent forms"]


def test_a_change_idea_of_another_program_is_refused_for_a_new_goal(world, other_world, drafted):
    with program_scope(other_world.program):
        instrument, _, _ = instrument_in(other_world.program)
        theirs = idea_in(other_world.program, instrument, "workflow", "Their idea")

    with pytest.raises(ValidationError, match="another program"):
        services.goal_add(
            program=world.program, plan=drafted.plan, by=world.coach, change_idea=theirs
        )
    assert len(goals_of(drafted.plan)) == 2


def test_swapping_a_goals_idea_replaces_its_proposal_and_unstarted_actions(world, drafted):
    workflow, _ = goals_of(drafted.plan)

    swapped = services.goal_swap_idea(
        program=world.program,
        goal=workflow,
        change_idea=drafted.ideas["workflow-2"],
        by=world.coach,
    )

    assert swapped.change_idea == drafted.ideas["workflow-2"]
    assert swapped.title == "Plan the day in a morning huddle"
    assert swapped.target_date == workflow.target_date
    assert [a.title for a in actions_of(swapped)] == [
        "Hold a 10-minute huddle daily",
        "Keep a huddle checklist",
    ]


def test_swapping_keeps_actions_already_under_way(world, drafted):
    workflow, _ = goals_of(drafted.plan)
    accepted(world, drafted.plan)
    started = actions_of(workflow)[0]
    action_services.action_status_change(
        program=world.program, action=started, status=ActionStatus.IN_PROGRESS, by=world.lead
    )

    services.goal_swap_idea(
        program=world.program,
        goal=workflow,
        change_idea=drafted.ideas["workflow-2"],
        by=world.coach,
    )

    titles = [a.title for a in actions_of(workflow)]
    assert titles == [started.title, "Hold a 10-minute huddle daily", "Keep a huddle checklist"]


def test_a_goal_cannot_swap_to_an_idea_of_another_domain(world, drafted):
    workflow, _ = goals_of(drafted.plan)

    with pytest.raises(ValidationError) as error:
        services.goal_swap_idea(
            program=world.program, goal=workflow, change_idea=drafted.ideas["privacy"], by=None
        )

    assert "same domain" in error.value.message_dict["change_idea"][0]
    assert PlanGoal.objects.get(pk=workflow.pk).change_idea == drafted.ideas["workflow"]


def test_removing_a_goal_removes_its_actions(world, drafted):
    workflow, ehr = goals_of(drafted.plan)

    services.goal_remove(program=world.program, goal=workflow, by=world.coach)

    assert goals_of(drafted.plan) == [ehr]
    assert not PlanAction.objects.filter(goal_id=workflow.pk).exists()


def test_a_goal_is_marked_achieved_only_once_the_plan_is_active(world, drafted):
    goal = goals_of(drafted.plan)[0]
    with pytest.raises(ValidationError) as error:
        services.goal_update(
            program=world.program, goal=goal, by=world.coach, data={"status": "achieved"}
        )
    assert "status" in error.value.message_dict

    accepted(world, drafted.plan)
    goal = services.goal_update(
        program=world.program, goal=goal, by=world.coach, data={"status": "achieved"}
    )

    assert goal.status == GoalStatus.ACHIEVED


# Owners ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "staff", "coach", "other_coach", "admin"])
def test_an_action_can_be_owned_by_the_practice_its_coaches_or_the_programs_team(
    world, drafted, who
):
    goal = goals_of(drafted.plan)[0]

    action = action_services.action_add(
        program=world.program, goal=goal, by=world.coach, title="Call", owner=world.user(who)
    )

    assert action.owner == world.user(who)


def test_a_manager_or_someone_from_an_unrelated_practice_cannot_own_an_action(world, drafted):
    elsewhere = PracticeMembershipFactory(
        program=world.program, practice=world.other_practice, user=UserFactory(), role="lead"
    ).user
    MembershipFactory(program=world.program, user=elsewhere, role=ProgramRole.PRACTICE)
    goal = goals_of(drafted.plan)[0]

    for person in (world.manager, elsewhere):
        with pytest.raises(ValidationError) as error:
            action_services.action_add(
                program=world.program, goal=goal, by=world.coach, title="Call", owner=person
            )
        assert "owner" in error.value.message_dict
    assert not PlanAction.objects.filter(title="Call").exists()


def test_someone_from_another_program_cannot_own_an_action_and_is_not_named(
    world, other_world, drafted
):
    action = actions_of(goals_of(drafted.plan)[0])[0]

    with pytest.raises(ValidationError) as error:
        action_services.action_update(
            program=world.program, action=action, by=world.coach, data={"owner": other_world.lead}
        )

    [message] = error.value.message_dict["owner"]
    assert other_world.lead.full_name not in message
    assert PlanAction.objects.get(pk=action.pk).owner is None


def test_a_former_practice_member_cannot_be_given_an_action(world, drafted):
    PracticeMembershipFactory._meta.model.objects.filter(user=world.staff).update(is_active=False)
    goal = goals_of(drafted.plan)[0]

    with pytest.raises(ValidationError):
        action_services.action_add(
            program=world.program, goal=goal, by=world.coach, title="Call", owner=world.staff
        )


# Accepting and completing ------------------------------------------------------------------


def test_accepting_names_every_goal_and_action_still_missing_something(world, drafted):
    workflow, ehr = goals_of(drafted.plan)
    PlanGoal.objects.filter(pk=ehr.pk).update(measure="", target_date=None)
    first = actions_of(workflow)[0]
    PlanAction.objects.filter(plan=drafted.plan).exclude(pk=first.pk).update(
        owner=world.lead, due_on=timezone.localdate()
    )
    PlanAction.objects.filter(pk=first.pk).update(due_on=None)

    with pytest.raises(ValidationError) as error:
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)

    assert error.value.messages == [
        f"Action “{first.title}” (goal “{workflow.title}”) needs an owner and a due date.",
        f"Goal “{ehr.title}” needs a measurable target and a target date.",
    ]
    assert SupportPlan.objects.get(pk=drafted.plan.pk).status == PlanStatus.DRAFT


def test_a_plan_without_goals_cannot_be_accepted(world):
    _, version, _ = instrument_in(world.program)
    plan = draft(world, assessment_in(world.program, world.practice, version, {"workflow": 100}))

    with pytest.raises(ValidationError, match="at least one goal"):
        services.plan_accept(program=world.program, plan=plan, by=world.coach)


def test_an_accepted_plan_is_active_and_records_who_accepted_it(world, drafted):
    plan = accepted(world, drafted.plan)

    assert plan.status == PlanStatus.ACTIVE
    assert plan.accepted_by == world.coach
    assert plan.accepted_at is not None


def test_dropped_actions_need_no_owner_to_accept(world, drafted):
    make_acceptable(world, drafted.plan)
    action = PlanAction.objects.filter(plan=drafted.plan).first()
    PlanAction.objects.filter(pk=action.pk).update(owner=None, status=ActionStatus.DROPPED)

    plan = services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)

    assert plan.status == PlanStatus.ACTIVE


def test_a_second_active_plan_for_the_practice_is_refused_with_the_current_ones_name(
    world, drafted
):
    accepted(world, drafted.plan)
    _, version, _ = instrument_in(world.program, key="follow-up")
    follow_up = draft(world, assessment_in(world.program, world.practice, version, {"workflow": 1}))

    with pytest.raises(ValidationError) as error:
        accepted(world, follow_up)

    assert drafted.plan.title in error.value.message_dict["complete_active"][0]
    assert SupportPlan.objects.get(pk=follow_up.pk).status == PlanStatus.DRAFT
    assert SupportPlan.objects.get(pk=drafted.plan.pk).status == PlanStatus.ACTIVE


def test_accepting_with_complete_active_completes_the_current_plan_first(world, drafted):
    accepted(world, drafted.plan)
    _, version, _ = instrument_in(world.program, key="follow-up")
    follow_up = draft(world, assessment_in(world.program, world.practice, version, {"workflow": 1}))

    accepted(world, follow_up, complete_active=True)

    assert SupportPlan.objects.get(pk=follow_up.pk).status == PlanStatus.ACTIVE
    old = SupportPlan.objects.get(pk=drafted.plan.pk)
    assert old.status == PlanStatus.COMPLETED
    assert old.completed_at is not None


def test_another_practices_active_plan_does_not_block_acceptance(world, drafted):
    _, version, _ = instrument_in(world.program, key="other")
    theirs = draft(
        world, assessment_in(world.program, world.other_practice, version, {"workflow": 1})
    )
    accepted(world, theirs)

    assert accepted(world, drafted.plan).status == PlanStatus.ACTIVE


def test_only_a_draft_is_accepted_and_only_an_active_plan_completed(world, drafted):
    with pytest.raises(ValidationError, match="Only an active plan"):
        services.plan_complete(program=world.program, plan=drafted.plan, by=world.coach)
    accepted(world, drafted.plan)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)

    plan = services.plan_complete(program=world.program, plan=drafted.plan, by=world.coach)

    assert plan.status == PlanStatus.COMPLETED


def test_a_draft_can_be_discarded_but_an_accepted_plan_cannot(world, drafted):
    _, version, _ = instrument_in(world.program, key="other")
    other = draft(
        world, assessment_in(world.program, world.other_practice, version, {"workflow": 1})
    )
    accepted(world, other)

    services.plan_discard(program=world.program, plan=drafted.plan, by=world.coach)

    assert not SupportPlan.objects.filter(pk=drafted.plan.pk).exists()
    assert not PlanGoal.objects.filter(plan_id=drafted.plan.pk).exists()
    with pytest.raises(ValidationError, match="Only a draft"):
        services.plan_discard(program=world.program, plan=other, by=world.coach)


# Action status -----------------------------------------------------------------------------


def first_action(plan) -> PlanAction:
    return PlanAction.objects.filter(plan=plan).order_by("goal__position", "position").first()


def test_actions_move_only_once_the_plan_is_accepted(world, drafted):
    with pytest.raises(ValidationError) as error:
        action_services.action_status_change(
            program=world.program, action=first_action(drafted.plan), status="done", by=world.lead
        )

    assert "accepted" in error.value.message_dict["status"][0]


def test_a_done_action_records_when_and_reopening_clears_it(world, drafted):
    accepted(world, drafted.plan)
    action = first_action(drafted.plan)

    done = action_services.action_status_change(
        program=world.program, action=action, status="done", by=world.staff, note="Booked."
    )
    assert (done.status, done.status_note) == (ActionStatus.DONE, "Booked.")
    assert done.completed_at is not None

    reopened = action_services.action_status_change(
        program=world.program, action=action, status="in_progress", by=world.staff
    )
    assert reopened.completed_at is None
    assert reopened.status_note == "Booked."


def test_dropping_an_action_needs_a_reason(world, drafted):
    accepted(world, drafted.plan)
    action = first_action(drafted.plan)

    with pytest.raises(ValidationError) as error:
        action_services.action_status_change(
            program=world.program, action=action, status="dropped", by=world.staff, note="  "
        )
    assert "note" in error.value.message_dict
    assert PlanAction.objects.get(pk=action.pk).status == ActionStatus.OPEN

    dropped = action_services.action_status_change(
        program=world.program,
        action=action,
        status="dropped",
        by=world.staff,
        note="The EHR vendor does this for us.",
    )
    assert dropped.status == ActionStatus.DROPPED
    assert dropped.status_note == "The EHR vendor does this for us."


def test_an_unknown_or_unchanged_status_is_refused(world, drafted):
    accepted(world, drafted.plan)
    action = first_action(drafted.plan)

    for status in ("finished", "open"):
        with pytest.raises(ValidationError) as error:
            action_services.action_status_change(
                program=world.program, action=action, status=status, by=world.staff
            )
        assert "status" in error.value.message_dict
