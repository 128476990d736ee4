"""The compliance KPI measures, worked by hand on a few checklists (compliance/followup/
measures.py): on time, items failed, open remediation actions, days overdue."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.actions.models import ActionStatus, PlanAction
from compliance.followup.measures import (
    days_overdue_compute,
    items_failed_compute,
    on_time_compute,
    open_actions_compute,
)
from compliance.models import ChecklistItem, InstanceStatus, ItemResponse
from psp.tenancy.scope import program_scope
from tests.compliance.followup.helpers import checklist, template

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)
OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)
MONTHS = [OCT, NOV, DEC]


def fail(instance, how_many=1, *, action=None):
    """`how_many` of the checklist's items answered "not met" (the first carrying `action`)."""
    with program_scope(instance.program):
        items = ChecklistItem.objects.filter(version_id=instance.version_id).order_by("position")
        for number, item in enumerate(items[:how_many]):
            ItemResponse.objects.create(
                program=instance.program, instance=instance, item=item, choice="not_done",
                outcome="failed", action=action if number == 0 else None,
            )  # fmt: skip


def action(world, created: date, status=ActionStatus.OPEN, completed: date | None = None):
    with program_scope(world.program):
        return PlanAction.objects.create(
            program=world.program, practice=world.practice, title="Fix the failed item",
            status=status, created_at=datetime(created.year, created.month, created.day, 9,
                                               tzinfo=UTC),
            completed_at=completed and datetime(completed.year, completed.month, completed.day,
                                                 9, tzinfo=UTC),
        )  # fmt: skip


@pytest.fixture
def history(world):
    """The health centre: a (Oct 10) signed Oct 8 with 2 items failed, their action done Nov 20;
    b (Oct 20) signed Nov 5, 16 days late; c (Nov 15) in progress with 1 failed, its action
    open since Nov 16; d (Dec 10) not due yet, 1 failed, its action dropped. The clinic: e (Nov
    30) signed on the day with 1 failed, then corrected (revision 2, in progress)."""
    privacy = template(world.program, name="Privacy review", key="privacy")
    p, q, lead = world.practice, world.other_practice, world.lead
    a = checklist(privacy, p, due_on=date(2026, 10, 10), signed_on=date(2026, 10, 8), signer=lead)
    checklist(privacy, p, due_on=date(2026, 10, 20), signed_on=date(2026, 11, 5), signer=lead)
    c = checklist(privacy, p, due_on=date(2026, 11, 15), status=InstanceStatus.IN_PROGRESS)
    d = checklist(privacy, p, due_on=date(2026, 12, 10))
    e = checklist(privacy, q, due_on=date(2026, 11, 30), signed_on=date(2026, 11, 30), signer=lead)
    fail(a, 2, action=action(world, date(2026, 10, 9), ActionStatus.DONE, date(2026, 11, 20)))
    fail(c, action=action(world, date(2026, 11, 16)))
    fail(d, action=action(world, date(2026, 12, 1), ActionStatus.DROPPED))
    fail(e)
    with program_scope(world.program):
        e.status = InstanceStatus.SUPERSEDED
        e.save(update_fields=["status"])
    correction = checklist(privacy, q, due_on=e.due_on, period=e.period_key, supersedes=e,
                           status=InstanceStatus.IN_PROGRESS)  # fmt: skip
    fail(correction)
    return world


def values(compute, world) -> dict:
    found = compute(world.program, months=MONTHS, today=TODAY)
    names = {world.practice.pk: "p", world.other_practice.pk: "q"}
    return {(names[v.practice_id], v.period): v for v in found}


def test_on_time_counts_a_checklist_once_due_or_once_signed_in_time(history):
    found = values(on_time_compute, history)
    assert {key: (v.numerator, v.denominator) for key, v in found.items()} == {
        ("p", OCT): (Decimal(100), Decimal(2)),  # a on time, b late
        ("p", NOV): (Decimal(0), Decimal(1)),  # c overdue; d not due yet is not counted
        ("q", NOV): (Decimal(100), Decimal(1)),  # e on time; its correction not again
    }
    assert found["p", OCT].value == Decimal(50)


def test_items_failed_in_the_checklists_due_by_today(history):
    found = values(items_failed_compute, history)
    assert {key: v.value for key, v in found.items()} == {
        ("p", OCT): 2,  # a's two; b none
        ("p", NOV): 1,  # c
        ("q", NOV): 1,  # the correction's copy, not the corrected revision's as well
    }


def test_open_remediation_actions_at_each_month_s_end(history):
    found = values(open_actions_compute, history)
    assert {key: v.value for key, v in found.items()} == {
        ("p", OCT): 1,  # a's action, done only on Nov 20
        ("p", NOV): 1,  # c's
        ("p", DEC): 1,  # c's still; d's was dropped
        ("q", OCT): 0,  # the clinic has had checklists since October
        ("q", NOV): 0,
        ("q", DEC): 0,
    }


def test_days_overdue_at_the_month_s_end_and_signed_late_in_it(history):
    found = values(days_overdue_compute, history)
    assert {key: (v.numerator, v.denominator) for key, v in found.items()} == {
        ("p", OCT): (Decimal(11), Decimal(1)),  # b unsigned on Oct 31, 11 days after Oct 20
        ("p", NOV): (Decimal(16 + 15), Decimal(2)),  # b signed 16 days late; c 15 on Nov 30
        ("p", DEC): (Decimal(18), Decimal(1)),  # c, 18 days by today (Dec 3)
    }
    assert found["p", NOV].value == Decimal("15.5")


@pytest.mark.parametrize(
    ("compute", "queries"),
    [(on_time_compute, 1), (items_failed_compute, 2), (open_actions_compute, 2),
     (days_overdue_compute, 1)],
)  # fmt: skip
def test_each_measure_costs_a_fixed_number_of_queries(history, compute, queries):
    with CaptureQueriesContext(connection) as captured:
        compute(history.program, months=MONTHS, today=TODAY)
    assert len(captured) == queries
