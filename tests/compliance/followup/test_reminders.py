"""Reminders of checklists (compliance/followup/reminders.py): 14 and 3 days before the due date to
the practice's leads and staff (once completed, to whoever must still sign), overdue weekly to
its leads and coaches; once per key, in the program's days, in a fixed number of queries."""

from datetime import UTC, date, datetime

import pytest

from compliance.followup.reminders import (
    checklists_due_soon,
    checklists_overdue,
    overdue_week,
    threshold_for,
)
from compliance.models import ChecklistItem, InstanceStatus, PracticeDesignation
from psp.notifications.models import Notification
from psp.notifications.services import notifications_scan
from psp.tenancy.scope import program_scope
from tests.compliance.followup.helpers import checklist, template
from tests.factories import (
    MembershipFactory,
    PracticeFactory,
    PracticeMembershipFactory,
    UserFactory,
)
from tests.reminder_helpers import TODAY, days, queries_of, run

pytestmark = pytest.mark.django_db


def member(world, practice, role="lead"):
    """A new person of `practice` with a role in the program."""
    user = UserFactory()
    MembershipFactory(program=world.program, user=user, role="practice")
    PracticeMembershipFactory(program=world.program, practice=practice, user=user, role=role)
    return user


def recipients(dues) -> set[int]:
    return {due.recipient_id for due in dues}


def test_the_thresholds_and_the_weeks():
    assert [threshold_for(TODAY, TODAY + days(n)) for n in (15, 14, 4, 3, 0, -1)] == [
        None, 14, 14, 3, 3, None,
    ]  # fmt: skip
    assert [overdue_week(TODAY + days(n), TODAY) for n in (1, 7, 8, 14, 15)] == [0, 0, 1, 1, 2]


def test_due_soon_goes_to_the_practice_s_leads_and_staff_on_day_14_and_day_3(world):
    privacy = template(world.program, name="Privacy review")
    made = checklist(privacy, world.practice, due_on=TODAY + days(14))
    keys = {}
    for day in range(0, 16):
        for due in run(checklists_due_soon, world.program, today=TODAY + days(day)):
            keys.setdefault(due.key, (day, due.recipient_id))
    assert sorted(keys.values()) == sorted(
        [(0, world.lead.pk), (0, world.staff.pk), (11, world.lead.pk), (11, world.staff.pk)]
    )
    (due, *_) = run(checklists_due_soon, world.program)
    assert due.key == f"checklist_due_soon:{made.pk}:{made.due_on.isoformat()}:14:{world.lead.pk}"
    assert due.title == "Checklist due in 14 days at North PSP Health Centre: Privacy review"
    assert "is due on Thursday 17 December 2026" in due.body
    assert due.url == f"/p/north-psp/compliance/checklists/{made.pk}/"


def test_a_completed_checklist_reminds_whoever_must_still_sign(world):
    privacy = template(world.program, name="Privacy review")
    officer = member(world, world.practice, role="staff")
    with program_scope(world.program):
        ChecklistItem.objects.filter(version_id=privacy.current_version_id).update(
            attester="privacy_officer"
        )
        PracticeDesignation.objects.create(
            program=world.program, practice=world.practice, attester="privacy_officer",
            user=officer,
        )  # fmt: skip
    checklist(privacy, world.practice, due_on=TODAY + days(3), status=InstanceStatus.COMPLETED)
    (due,) = run(checklists_due_soon, world.program)
    assert due.recipient_id == officer.pk
    assert due.title.startswith("Sign off in 3 days at North PSP Health Centre")


def test_signed_checklists_and_other_practices_people_hear_nothing(world):
    privacy = template(world.program)
    checklist(privacy, world.practice, due_on=TODAY + days(3), signed_on=TODAY, signer=world.lead)
    checklist(privacy, world.other_practice, due_on=TODAY + days(3), period="other")
    assert recipients(run(checklists_due_soon, world.program)) == set()  # nobody there


def test_overdue_goes_weekly_to_the_leads_and_the_coach(world):
    privacy = template(world.program)
    made = checklist(privacy, world.practice, due_on=TODAY, status=InstanceStatus.IN_PROGRESS)
    assert run(checklists_overdue, world.program) == []
    keys = {}
    for day in range(1, 23):
        for due in run(checklists_overdue, world.program, today=TODAY + days(day)):
            keys.setdefault(due.key, day)
    assert sorted(set(keys.values())) == [1, 8, 15, 22]
    found = run(checklists_overdue, world.program, today=TODAY + days(8))
    assert recipients(found) == {world.lead.pk, world.coach.pk}
    assert found[0].key == f"checklist_overdue:{made.pk}:2026-12-03:1:{found[0].recipient_id}"
    assert "was due on 3 December 2026, 8 days ago, and is not signed off (in progress)" in (
        found[0].body
    )


def test_the_scan_counts_days_in_the_program_s_time_zone(world):
    world.program.time_zone = "America/Vancouver"
    world.program.save(update_fields=["time_zone"])
    checklist(template(world.program), world.practice, due_on=date(2026, 12, 15))

    def notices():
        return sorted(
            Notification.objects.filter(kind="checklist_due_soon").values_list(
                "recipient_id", flat=True
            )
        )

    with program_scope(world.program):
        # 03:00 UTC on 1 December is still 30 November in Vancouver: 15 days before.
        notifications_scan(program=world.program, now=datetime(2026, 12, 1, 3, tzinfo=UTC))
        assert notices() == []
        # 09:00 UTC is 1 December there too: 14 days before; a later scan adds nothing.
        notifications_scan(program=world.program, now=datetime(2026, 12, 1, 9, tzinfo=UTC))
        notifications_scan(program=world.program, now=datetime(2026, 12, 1, 20, tzinfo=UTC))
        assert notices() == sorted([world.lead.pk, world.staff.pk])


def test_the_queries_do_not_grow_with_the_checklists(world):
    privacy = template(world.program)

    def grow(n):
        for _ in range(n):
            practice = PracticeFactory(program=world.program)
            member(world, practice)
            checklist(privacy, practice, due_on=TODAY + days(3))
            checklist(privacy, practice, due_on=TODAY + days(14), period="b",
                      status=InstanceStatus.COMPLETED)  # fmt: skip
            checklist(privacy, practice, due_on=TODAY - days(9), period="c")

    grow(2)
    small = (
        queries_of(checklists_due_soon, world.program),
        queries_of(checklists_overdue, world.program),
    )
    grow(5)
    assert len(run(checklists_due_soon, world.program)) == 14
    assert len(run(checklists_overdue, world.program)) == 7
    big = (
        queries_of(checklists_due_soon, world.program),
        queries_of(checklists_overdue, world.program),
    )
    assert big == small == (5, 3)
