"""Reminders of practices at risk (coaching/caseload/reminders.py): the coach hears when a
practice turns stalled or needs attention, once per turn; managers get the week's turns once a
week. The day a practice turned comes from its facts (coaching/caseload/turns.py)."""

from datetime import date

import pytest

from coaching.caseload.models import CaseloadRules
from coaching.caseload.reminders import caseload_weekly, practices_at_risk
from coaching.caseload.rules import CaseloadStatus, PracticeFacts, caseload_status
from coaching.caseload.turns import status_since
from coaching.models import PlanAction, VisitStatus
from psp.tenancy.scope import program_scope
from tests.factories import (
    CoachAssignmentFactory,
    MembershipFactory,
    PracticeFactory,
    VisitFactory,
)
from tests.reminder_helpers import TODAY, by_recipient, days, queries_of, run

pytestmark = pytest.mark.django_db
STALLED, ATTENTION = CaseloadStatus.STALLED, CaseloadStatus.ATTENTION


def last_visit(world, practice, on: date, coach=None):
    return VisitFactory(
        program=world.program,
        practice=practice,
        coach=coach or world.coach,
        status=VisitStatus.LOGGED,
        visit_date=on,
    )


def test_the_coach_hears_when_a_practice_turns_stalled(world):
    last_visit(world, world.practice, TODAY - days(92))  # stalled (90 days) two days ago
    dues = by_recipient(run(practices_at_risk, world.program))
    assert set(dues) == {world.coach.pk}  # not the other coach, the lead or the managers
    due = dues[world.coach.pk]
    assert due.kind == "practice_at_risk"
    assert due.title == "North PSP Health Centre stalled"
    assert due.key == f"practice_at_risk:{world.practice.pk}:stalled:2026-12-01:{world.coach.pk}"
    assert due.url == f"/p/north-psp/practices/{world.practice.pk}/"
    assert due.body == (
        "North PSP Health Centre turned stalled on 1 December 2026: No visit in 92 days "
        "(program rule: stalled after 90 days)."
    )
    assert due.practice_id == world.practice.pk


def test_each_turn_is_announced_under_one_key_and_a_worse_turn_under_another(world):
    last_visit(world, world.practice, TODAY - days(46))  # needs attention since yesterday
    (first,) = run(practices_at_risk, world.program)
    assert first.title == "North PSP Health Centre needs attention"
    assert ":attention:2026-12-02:" in first.key
    # The same day again, and the next days: the same key, so nothing new is sent.
    for later in (0, 1, 5):
        (again,) = run(practices_at_risk, world.program, today=TODAY + days(later))
        assert again.key == first.key
    # A week after the turn it is no longer news.
    assert run(practices_at_risk, world.program, today=TODAY + days(6)) == []
    # Forty-five days later it stalls: a new turn, a new key.
    (stalled,) = run(practices_at_risk, world.program, today=TODAY + days(44))
    assert ":stalled:2027-01-16:" in stalled.key
    assert stalled.key != first.key


def test_a_practice_at_risk_for_long_or_on_track_gives_nothing(world):
    last_visit(world, world.practice, TODAY - days(200))
    last_visit(world, world.other_practice, TODAY - days(3), coach=world.other_coach)
    assert run(practices_at_risk, world.program) == []


def test_a_visit_ends_the_turn_and_a_new_one_is_announced_again(world):
    visit = last_visit(world, world.practice, TODAY - days(46))
    (first,) = run(practices_at_risk, world.program)
    later = last_visit(world, world.practice, TODAY - days(1))
    assert run(practices_at_risk, world.program) == []
    later.delete()  # say it was logged by mistake: the practice needs attention again
    visit.save()
    (again,) = run(practices_at_risk, world.program)
    assert again.key == first.key  # the same turn, not announced twice


def test_every_assigned_coach_hears_and_nobody_in_another_program(world, other_world):
    CoachAssignmentFactory(
        program=world.program, practice=world.practice, coach=world.other_coach, is_primary=False
    )
    last_visit(world, world.practice, TODAY - days(92))
    last_visit(other_world, other_world.practice, TODAY - days(92), coach=other_world.coach)
    assert {due.recipient_id for due in run(practices_at_risk, world.program)} == {
        world.coach.pk,
        world.other_coach.pk,
    }
    (south,) = run(practices_at_risk, other_world.program)
    assert south.recipient_id == other_world.coach.pk
    assert south.url.startswith("/p/south-psp/")


def test_the_day_a_practice_turned_from_its_facts():
    rules = CaseloadRules(stalled_overdue_actions=3)
    dues = [TODAY - days(20), TODAY - days(9), TODAY - days(4)]
    facts = PracticeFacts(
        last_visit_on=TODAY - days(10), overdue_actions=3, oldest_overdue_on=dues[0]
    )
    verdict = caseload_status(facts, rules, today=TODAY)
    assert verdict.status == STALLED
    # The third overdue action was overdue from the day after it was due.
    assert status_since(verdict, facts, rules, today=TODAY, overdue_due_dates=dues) == (
        TODAY - days(3)
    )
    follow_up = PracticeFacts(last_visit_on=TODAY, follow_up_due_on=TODAY - days(5))
    verdict = caseload_status(follow_up, rules, today=TODAY)
    assert verdict.status == ATTENTION
    assert status_since(verdict, follow_up, rules, today=TODAY) == TODAY - days(4)
    on_track = caseload_status(PracticeFacts(last_visit_on=TODAY), rules, today=TODAY)
    assert status_since(on_track, PracticeFacts(), rules, today=TODAY) is None


def test_overdue_actions_turn_a_practice_on_the_day_after_they_were_due(world):
    last_visit(world, world.practice, TODAY - days(3))
    with program_scope(world.program):
        PlanAction.objects.create(
            program=world.program,
            practice=world.practice,
            title="Call the EHR vendor",
            due_on=TODAY - days(2),
        )
    (due,) = run(practices_at_risk, world.program)
    assert ":attention:2026-12-02:" in due.key
    assert "1 action overdue" in due.body


def grow(world, n: int, *, visited: date):
    for _ in range(n):
        practice = PracticeFactory(program=world.program)
        coach = MembershipFactory(program=world.program).user
        CoachAssignmentFactory(program=world.program, practice=practice, coach=coach)
        last_visit(world, practice, visited, coach=coach)


def test_the_count_of_queries_does_not_grow_with_the_practices(world):
    # The first read of the day computes the standings (as the caseload overview would), in
    # a batch; the next reads find them current.
    grow(world, 2, visited=TODAY - days(92))
    first, current = (queries_of(practices_at_risk, world.program) for _ in range(2))
    assert len(run(practices_at_risk, world.program)) == 2
    grow(world, 4, visited=TODAY - days(92))
    assert queries_of(practices_at_risk, world.program) == first
    assert len(run(practices_at_risk, world.program)) == 6
    assert queries_of(practices_at_risk, world.program) == current


# The managers' weekly list ---------------------------------------------------------------------

# TODAY is Thursday 3 December 2026 (ISO week 49); the week before ran from 23 to 29 November.


def test_managers_get_the_turns_of_the_week_before_once_a_week(world):
    last_visit(world, world.practice, date(2026, 8, 27))  # stalled on Wednesday 25 November
    (due,) = run(caseload_weekly, world.program)
    assert due.recipient_id == world.manager.pk  # not the admin, the coaches or the lead
    assert due.kind == "caseload_weekly"
    assert due.key == f"caseload_weekly:{world.manager.pk}:2026-W49"
    assert due.title == "1 practice turned stalled or needs attention in the week of 23 November"
    assert due.body == (
        "North PSP Health Centre: stalled since Wed 25 Nov. "
        "No visit in 98 days (program rule: stalled after 90 days)."
    )
    assert due.url == "/p/north-psp/caseload/all/"
    # Every scan of the week finds the same; the next week is a new one.
    for day in (-3, 0, 3):
        (again,) = run(caseload_weekly, world.program, today=TODAY + days(day))
        assert again.key == due.key
        assert again.body.startswith("North PSP Health Centre: stalled since Wed 25 Nov. No visit")
    assert run(caseload_weekly, world.program, today=TODAY + days(4)) == []


def test_no_turn_last_week_no_email(world):
    last_visit(world, world.practice, TODAY - days(92))  # turned this week (1 December)
    last_visit(world, world.other_practice, TODAY - days(130), coach=world.other_coach)
    assert run(caseload_weekly, world.program) == []
    (next_week,) = run(caseload_weekly, world.program, today=TODAY + days(7))
    assert next_week.key.endswith(":2026-W50")
    assert next_week.body.startswith("North PSP Health Centre: stalled since Tue 1 Dec")


def test_other_programs_managers_hear_only_of_their_practices(world, other_world):
    last_visit(world, world.practice, date(2026, 8, 27))
    last_visit(other_world, other_world.other_practice, date(2026, 8, 28), other_world.coach)
    second = MembershipFactory(program=world.program, role="manager").user
    north = run(caseload_weekly, world.program)
    assert {due.recipient_id for due in north} == {world.manager.pk, second.pk}
    assert all("North PSP Health Centre" in due.body for due in north)
    (south,) = run(caseload_weekly, other_world.program)
    assert south.recipient_id == other_world.manager.pk
    assert south.body.startswith("South PSP Lakeside Clinic: stalled since Thu 26 Nov")


def test_the_weekly_list_costs_the_same_queries_for_2_or_6_practices(world):
    grow(world, 2, visited=date(2026, 8, 27))
    first, current = (queries_of(caseload_weekly, world.program) for _ in range(2))
    (due,) = run(caseload_weekly, world.program)
    assert due.title.startswith("2 practices turned")
    grow(world, 4, visited=date(2026, 8, 27))
    assert queries_of(caseload_weekly, world.program) == first
    (due,) = run(caseload_weekly, world.program)
    assert due.title.startswith("6 practices turned") and len(due.body.splitlines()) == 6
    assert queries_of(caseload_weekly, world.program) == current
