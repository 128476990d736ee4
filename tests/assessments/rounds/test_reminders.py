"""Reminders of follow-up assessments (assessments/rounds/reminders.py): to the practice's leads
and coaches, once in the week before the follow-up is due, then once a week while overdue."""

from datetime import UTC, datetime

import pytest

from assessments.models import AssessmentKind, AssessmentStatus
from assessments.rounds.reminders import assessment_follow_ups
from tests.factories import (
    AssessmentFactory,
    CoachAssignmentFactory,
    InstrumentVersionFactory,
    MembershipFactory,
    PracticeFactory,
    PracticeMembershipFactory,
)
from tests.reminder_helpers import TODAY, by_recipient, days, queries_of, run

pytestmark = pytest.mark.django_db


def submitted(world, *, at: datetime, practice=None, version=None, **extra):
    return AssessmentFactory(
        program=world.program,
        practice=practice or world.practice,
        version=version or InstrumentVersionFactory(program=world.program),
        status=AssessmentStatus.SUBMITTED,
        submitted_at=at,
        **extra,
    )


def june(day: int, hour: int = 15) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=UTC)


def test_the_lead_and_the_coach_hear_of_a_follow_up_due_within_a_week(world):
    round_ = submitted(world, at=june(8))  # six-month cadence: due on 8 December
    instrument = round_.version.instrument
    dues = by_recipient(run(assessment_follow_ups, world.program))
    assert set(dues) == {world.lead.pk, world.coach.pk}  # not staff, other coach or managers
    due = dues[world.lead.pk]
    assert due.kind == "assessment_followup"
    assert due.title == (
        "North PSP practice readiness follow-up assessment for North PSP Health Centre "
        "due on 8 December 2026"
    )
    assert due.key == (
        f"assessment_followup:{world.practice.pk}:{instrument.pk}:2026-12-08:due:{world.lead.pk}"
    )
    assert due.url == (
        f"/p/north-psp/assessments/?practice={world.practice.pk}&instrument={instrument.pk}"
    )
    assert "submitted on 8 June 2026" in due.body
    assert due.practice_id == world.practice.pk


def test_once_while_due_then_once_a_week_overdue(world):
    submitted(world, at=june(8))
    keys = {}
    for day in range(-4, 20):  # from 29 November to 22 December
        found = run(assessment_follow_ups, world.program, today=TODAY + days(day))
        lead = by_recipient(found).get(world.lead.pk)
        if lead is not None:
            keys.setdefault(lead.key, TODAY + days(day))
    # Due on 8 December: from 1 December (7 days before), then overdue on 9, 16 December...
    assert [day.isoformat() for day in keys.values()] == [
        "2026-12-01",
        "2026-12-09",
        "2026-12-16",
    ]
    overdue = run(assessment_follow_ups, world.program, today=TODAY + days(13))[0]
    assert overdue.title.endswith("overdue since 8 December 2026")
    assert "was due on 8 December 2026, 8 days ago" in overdue.body


def test_open_rounds_a_newer_round_and_other_programs_give_nothing(world, other_world):
    version = InstrumentVersionFactory(program=world.program)
    submitted(world, at=june(8), version=version)
    submitted(world, at=datetime(2026, 11, 20, tzinfo=UTC), version=version)  # the follow-up
    AssessmentFactory(
        program=world.program,
        practice=world.other_practice,
        version=version,
        status=AssessmentStatus.OPEN,
        kind=AssessmentKind.FOLLOW_UP,
    )
    submitted(other_world, at=june(8))
    assert run(assessment_follow_ups, world.program) == []
    south = run(assessment_follow_ups, other_world.program)
    assert {due.recipient_id for due in south} == {other_world.lead.pk, other_world.coach.pk}
    assert all(due.url.startswith("/p/south-psp/") for due in south)


def test_each_instrument_has_its_own_follow_up(world):
    submitted(world, at=june(8))
    submitted(world, at=june(1))
    dues = run(assessment_follow_ups, world.program)
    assert len(dues) == 4
    assert {due.key.split(":")[3] for due in dues} == {"2026-12-08", "2026-12-01"}


def test_the_due_date_is_the_programs_day(world):
    # Submitted at 23:30 UTC on 8 June: already 9 June in Auckland.
    submitted(world, at=june(8, hour=23).replace(minute=30))
    world.program.time_zone = "Pacific/Auckland"
    (due,) = {d.key.split(":")[3] for d in run(assessment_follow_ups, world.program)}
    assert due == "2026-12-09"
    world.program.time_zone = "UTC"
    (due,) = {d.key.split(":")[3] for d in run(assessment_follow_ups, world.program)}
    assert due == "2026-12-08"


def test_the_count_of_queries_does_not_grow_with_the_practices(world):
    version = InstrumentVersionFactory(program=world.program)

    def grow(n):
        for _ in range(n):
            practice = PracticeFactory(program=world.program)
            coach = MembershipFactory(program=world.program).user
            CoachAssignmentFactory(program=world.program, practice=practice, coach=coach)
            lead = MembershipFactory(program=world.program, role="practice").user
            PracticeMembershipFactory(
                program=world.program, practice=practice, user=lead, role="lead"
            )
            submitted(world, at=june(8), practice=practice, version=version)

    grow(2)
    small = queries_of(assessment_follow_ups, world.program)
    grow(4)
    assert len(run(assessment_follow_ups, world.program)) == 12
    assert queries_of(assessment_follow_ups, world.program) == small == 3
