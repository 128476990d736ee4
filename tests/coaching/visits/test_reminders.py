"""The reminder of a planned visit the day before (coaching/visits/reminders.py): to the
visit's coach and the practice's leads, once per visit and day."""

from datetime import time

import pytest

from coaching.models import Visit, VisitStatus
from coaching.visits.reminders import visits_tomorrow
from practices.models import PracticeMembership
from psp.dates import DateStyle
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope
from tests.factories import (
    CoachAssignmentFactory,
    MembershipFactory,
    PracticeFactory,
    PracticeMembershipFactory,
    VisitFactory,
)
from tests.reminder_helpers import TODAY, by_recipient, days, queries_of, run

pytestmark = pytest.mark.django_db


def planned(world, *, on=None, practice=None, coach=None, start=time(10), **extra) -> Visit:
    return VisitFactory(
        program=world.program,
        practice=practice or world.practice,
        coach=coach or world.coach,
        status=VisitStatus.PLANNED,
        visit_date=on or TODAY + days(1),
        start_time=start,
        logged_at=None,
        purpose="Review the huddle board",
        **extra,
    )


def test_the_coach_and_the_practice_lead_hear_of_tomorrows_visit(world):
    visit = planned(world)
    dues = by_recipient(run(visits_tomorrow, world.program))
    # Not the staff member, the other coach, the manager or the admin.
    assert set(dues) == {world.coach.pk, world.lead.pk}
    due = dues[world.lead.pk]
    assert due.kind == "visit_tomorrow"
    assert due.title == "Visit at North PSP Health Centre tomorrow at 10:00"
    assert due.url == f"/p/north-psp/visits/{visit.pk}/"
    assert due.key == f"visit_tomorrow:{visit.pk}:2026-12-04:{world.lead.pk}"
    assert due.practice_id == world.practice.pk
    assert "Friday 4 December 2026 at 10:00 with Coach of North PSP" in due.body
    assert "Review the huddle board" in due.body
    assert "with Coach" not in dues[world.coach.pk].body  # the coach is not told of themself


def test_a_visit_without_a_time_says_tomorrow_only_and_dates_follow_the_program_style(world):
    planned(world, start=None)
    world.program.date_style = DateStyle.MONTH_DAY_YEAR
    due = by_recipient(run(visits_tomorrow, world.program))[world.lead.pk]
    assert due.title == "Visit at North PSP Health Centre tomorrow"
    assert "Friday, December 4, 2026" in due.body


@pytest.mark.parametrize("status", [VisitStatus.LOGGED, VisitStatus.CANCELLED])
def test_logged_and_cancelled_visits_give_nothing(world, status):
    VisitFactory(
        program=world.program,
        practice=world.practice,
        coach=world.coach,
        status=status,
        visit_date=TODAY + days(1),
    )
    assert run(visits_tomorrow, world.program) == []


def test_only_tomorrow_in_the_programs_days(world):
    planned(world, on=TODAY)
    planned(world, on=TODAY + days(2))
    assert run(visits_tomorrow, world.program) == []
    # The day the rule is given is the program's local date: the day before the visit.
    assert len(run(visits_tomorrow, world.program, today=TODAY + days(1))) == 2


def test_other_practices_and_other_programs_stay_apart(world, other_world):
    mine = planned(world)
    theirs = planned(other_world)
    other_practice = planned(world, practice=world.other_practice, coach=world.other_coach)
    dues = run(visits_tomorrow, world.program)
    assert {due.recipient_id for due in dues if due.practice_id == world.other_practice.pk} == {
        world.other_coach.pk  # the other practice has no lead
    }
    assert {due.key.split(":")[1] for due in dues} == {str(mine.pk), str(other_practice.pk)}
    south = run(visits_tomorrow, other_world.program)
    assert {due.recipient_id for due in south} == {other_world.coach.pk, other_world.lead.pk}
    assert {due.key.split(":")[1] for due in south} == {str(theirs.pk)}
    assert all(due.url.startswith("/p/south-psp/") for due in south)


def test_the_same_day_twice_finds_the_same_keys_and_a_moved_visit_new_ones(world):
    visit = planned(world)
    first = {due.key for due in run(visits_tomorrow, world.program)}
    assert first == {due.key for due in run(visits_tomorrow, world.program)}
    with program_scope(world.program):
        Visit.objects.filter(pk=visit.pk).update(visit_date=TODAY + days(5))
    moved = {due.key for due in run(visits_tomorrow, world.program, today=TODAY + days(4))}
    assert moved and not moved & first
    assert all(":2026-12-08:" in key for key in moved)


def test_people_without_an_active_role_are_left_out(world):
    planned(world)
    with program_scope(world.program):
        PracticeMembership.objects.filter(user=world.lead).update(is_active=False)
        ProgramMembership.objects.filter(user=world.coach).update(is_active=False)
    assert run(visits_tomorrow, world.program) == []


def test_the_count_of_queries_does_not_grow_with_the_visits(world):
    def grow(n):
        for _ in range(n):
            practice = PracticeFactory(program=world.program)
            coach = MembershipFactory(program=world.program).user
            CoachAssignmentFactory(program=world.program, practice=practice, coach=coach)
            for role in ("lead", "lead", "staff"):
                person = MembershipFactory(program=world.program, role="practice").user
                PracticeMembershipFactory(
                    program=world.program, practice=practice, user=person, role=role
                )
            planned(world, practice=practice, coach=coach)

    grow(2)
    small = queries_of(visits_tomorrow, world.program)
    assert len(run(visits_tomorrow, world.program)) == 6
    grow(4)
    assert len(run(visits_tomorrow, world.program)) == 18
    assert queries_of(visits_tomorrow, world.program) == small == 2
