"""Reminders of actions to their owner (coaching/actions/reminders.py): due in three days, and
overdue at most once a week."""

import pytest

from coaching.actions.reminders import actions_due_soon, actions_overdue, overdue_week
from coaching.models import ActionStatus, PlanAction, PlanStatus
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope
from tests.factories import (
    MembershipFactory,
    PlanActionFactory,
    PlanGoalFactory,
    SupportPlanFactory,
)
from tests.reminder_helpers import TODAY, by_recipient, days, queries_of, run

pytestmark = pytest.mark.django_db


def action(world, *, due_on, owner=None, practice=None, plan_status=PlanStatus.ACTIVE, **extra):
    plan = SupportPlanFactory(
        program=world.program, practice=practice or world.practice, status=plan_status
    )
    goal = PlanGoalFactory(program=world.program, plan=plan)
    return PlanActionFactory(
        program=world.program,
        goal=goal,
        owner=owner if owner is not None else world.lead,
        due_on=due_on,
        title="Map today's tasks by role",
        **extra,
    )


def test_an_action_due_in_three_days_reminds_its_owner_only(world):
    mine = action(world, due_on=TODAY + days(3))
    action(world, due_on=TODAY + days(3), owner=world.staff)
    action(world, due_on=TODAY + days(2))
    action(world, due_on=TODAY + days(4))
    dues = by_recipient(run(actions_due_soon, world.program))
    assert set(dues) == {world.lead.pk, world.staff.pk}
    due = dues[world.lead.pk]
    assert due.title == "Action due in 3 days at North PSP Health Centre: Map today's tasks by role"
    assert due.url == f"/p/north-psp/actions/{mine.pk}/"
    assert due.key == f"action_due_soon:{mine.pk}:2026-12-06:{world.lead.pk}"
    assert "is due on Sunday 6 December 2026" in due.body
    assert due.practice_id == world.practice.pk


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.DROPPED])
def test_done_and_dropped_actions_give_nothing(world, status):
    action(world, due_on=TODAY + days(3), status=status)
    action(world, due_on=TODAY - days(1), status=status)
    assert run(actions_due_soon, world.program) == []
    assert run(actions_overdue, world.program) == []


def test_in_progress_and_visit_actions_count_but_not_a_drafts_or_an_ownerless_one(world):
    action(world, due_on=TODAY - days(1), status=ActionStatus.IN_PROGRESS)
    action(world, due_on=TODAY - days(1), plan_status=PlanStatus.DRAFT)
    with program_scope(world.program):
        # Agreed at a visit (no plan): counted when it has an owner.
        for owner in (None, world.staff):
            PlanAction.objects.create(
                program=world.program,
                practice=world.practice,
                title="Call the EHR vendor",
                owner=owner,
                due_on=TODAY - days(1),
            )
    dues = run(actions_overdue, world.program)
    assert sorted(due.recipient_id for due in dues) == sorted([world.lead.pk, world.staff.pk])


def test_an_owner_without_a_role_any_more_hears_nothing(world):
    action(world, due_on=TODAY + days(3))
    with program_scope(world.program):
        ProgramMembership.objects.filter(user=world.lead).update(is_active=False)
    assert run(actions_due_soon, world.program) == []


def test_overdue_is_announced_on_days_1_8_15_with_a_new_key_each_week(world):
    overdue = action(world, due_on=TODAY)
    assert run(actions_overdue, world.program) == []  # due today is not overdue
    keys = {}
    for day in range(1, 23):
        (due,) = run(actions_overdue, world.program, today=TODAY + days(day))
        keys.setdefault(due.key, day)
    assert sorted(keys.values()) == [1, 8, 15, 22]
    (due,) = run(actions_overdue, world.program, today=TODAY + days(8))
    assert due.key == f"action_overdue:{overdue.pk}:2026-12-03:1:{world.lead.pk}"
    assert due.title == "Overdue action at North PSP Health Centre: Map today's tasks by role"
    assert "was due on 3 December 2026, 8 days ago" in due.body
    assert due.url == f"/p/north-psp/actions/{overdue.pk}/"


def test_the_week_index(world):
    assert [overdue_week(TODAY + days(n), TODAY) for n in (1, 7, 8, 14, 15)] == [0, 0, 1, 1, 2]


def test_the_same_day_twice_finds_the_same_keys_and_a_new_due_date_a_new_one(world):
    soon = action(world, due_on=TODAY + days(3))
    first = [due.key for due in run(actions_due_soon, world.program)]
    assert first == [due.key for due in run(actions_due_soon, world.program)]
    with program_scope(world.program):
        PlanAction.objects.filter(pk=soon.pk).update(due_on=TODAY + days(10))
    (moved,) = run(actions_due_soon, world.program, today=TODAY + days(7))
    assert moved.key not in first


def test_other_programs_stay_apart(world, other_world):
    action(world, due_on=TODAY + days(3))
    action(other_world, due_on=TODAY + days(3))
    action(other_world, due_on=TODAY - days(2))
    assert {d.recipient_id for d in run(actions_due_soon, world.program)} == {world.lead.pk}
    assert run(actions_overdue, world.program) == []
    south = run(actions_overdue, other_world.program)
    assert [d.recipient_id for d in south] == [other_world.lead.pk]
    assert south[0].url.startswith("/p/south-psp/")


def test_the_count_of_queries_does_not_grow_with_the_actions(world):
    def grow(n):
        for _ in range(n):
            owner = MembershipFactory(program=world.program, role="practice").user
            action(world, due_on=TODAY + days(3), owner=owner)
            action(world, due_on=TODAY - days(9), owner=owner)

    grow(2)
    small = (
        queries_of(actions_due_soon, world.program),
        queries_of(actions_overdue, world.program),
    )
    grow(4)
    assert len(run(actions_due_soon, world.program)) == 6
    assert len(run(actions_overdue, world.program)) == 6
    big = (queries_of(actions_due_soon, world.program), queries_of(actions_overdue, world.program))
    assert big == small == (1, 1)
