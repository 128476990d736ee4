"""A cycle's stored status follows its activities: met (with the day) once every requirement is
met, open again when a rejection, a deletion or an edit takes that away; verifying keeps it;
an ended cycle keeps its status and only its met day follows."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cpd.models import CpdCycle
from cpd.progress.services import cycles_status_refresh
from psp.tenancy.scope import program_scope
from tests.cpd.progress.helpers import (
    TODAY,
    act,
    cycle_of,
    fresh_cycle,
    record,
    small_scheme,
)
from tests.cpd.scheme_factories import make_activity, make_cycle

pytestmark = pytest.mark.django_db


def test_a_cycle_is_met_on_the_day_its_last_requirement_was_met(world):
    small_scheme(world)
    first = record(world, world.staff, days_ago=30, hours="6")
    cycle = cycle_of(world, first)
    assert (cycle.status, cycle.met_on) == ("open", None)

    record(world, world.staff, days_ago=10, hours="4")

    cycle = fresh_cycle(world, cycle)
    assert (cycle.status, cycle.met_on) == ("met", TODAY - timedelta(days=10))


def test_deleting_an_activity_that_made_the_total_opens_the_cycle_again(world):
    small_scheme(world)
    record(world, world.staff, days_ago=30, hours="6")
    last = record(world, world.staff, days_ago=10, hours="4")
    cycle = cycle_of(world, last)

    act(world, "activity_delete", last, world.staff)

    assert (fresh_cycle(world, cycle).status, fresh_cycle(world, cycle).met_on) == ("open", None)


def test_verifying_keeps_a_cycle_met_and_so_does_rejecting_what_it_did_not_need(world):
    small_scheme(world)
    record(world, world.staff, days_ago=30, hours="6")
    sent = record(world, world.staff, days_ago=10, hours="4", submit=True)
    cycle = cycle_of(world, sent)
    assert fresh_cycle(world, cycle).status == "met"  # submitted credits count

    act(world, "activity_verify", sent, world.admin)
    assert fresh_cycle(world, cycle).status == "met"

    extra = record(world, world.staff, days_ago=5, hours="4", submit=True)
    act(world, "activity_reject", extra, world.admin, reason="Wrong hours.")
    cycle = fresh_cycle(world, cycle)
    assert (cycle.status, cycle.met_on) == ("met", TODAY - timedelta(days=10))


def test_a_rejected_activity_that_made_the_total_opens_the_cycle(world):
    small_scheme(world)
    record(world, world.staff, days_ago=30, hours="6")
    sent = record(world, world.staff, days_ago=10, hours="4", submit=True)
    cycle = cycle_of(world, sent)

    act(world, "activity_reject", sent, world.admin, reason="The slip says 2 hours.")

    assert (fresh_cycle(world, cycle).status, fresh_cycle(world, cycle).met_on) == ("open", None)


def test_correcting_the_hours_down_opens_the_cycle_and_back_up_meets_it(world):
    small_scheme(world)
    record(world, world.staff, days_ago=30, hours="6")
    last = record(world, world.staff, days_ago=10, hours="4")
    cycle = cycle_of(world, last)

    act(world, "activity_update", last, world.staff, data={"hours": "1"})
    assert fresh_cycle(world, cycle).status == "open"

    act(world, "activity_update", last, world.staff, data={"hours": "5"})
    assert fresh_cycle(world, cycle).status == "met"


def test_confirming_a_draft_counts_it(world):
    small_scheme(world)
    record(world, world.staff, days_ago=30, hours="6")
    draft = record(world, world.staff, days_ago=10, hours="4")
    with program_scope(world.program):
        draft.__class__.objects.filter(pk=draft.pk).update(status="draft")
        CpdCycle.objects.filter(pk=draft.cycle_id).update(status="open", met_on=None)

    act(world, "activity_confirm", draft, world.staff)

    assert fresh_cycle(world, cycle_of(world, draft)).status == "met"


def test_an_ended_cycle_keeps_its_status_and_only_its_met_day_follows(world):
    scheme = small_scheme(world)
    start = TODAY - timedelta(days=800)
    ended = make_cycle(scheme, world.lead, start, start + timedelta(days=364), status="closed")
    make_activity(ended, start + timedelta(days=40), 12)

    with program_scope(world.program):
        cycles_status_refresh(program=world.program, cycle_ids=[ended.pk, None])

    ended = fresh_cycle(world, ended)
    assert (ended.status, ended.met_on) == ("closed", start + timedelta(days=40))


def test_an_ended_open_cycle_is_not_marked_met_after_the_fact(world):
    scheme = small_scheme(world)
    start = TODAY - timedelta(days=800)
    ended = make_cycle(scheme, world.lead, start, start + timedelta(days=364))
    make_activity(ended, start + timedelta(days=40), Decimal("12"))

    with program_scope(world.program):
        changed = cycles_status_refresh(program=world.program, cycle_ids=[ended.pk])

    assert [c.pk for c in changed] == [ended.pk]
    assert (fresh_cycle(world, ended).status, fresh_cycle(world, ended).met_on) == (
        "open",
        start + timedelta(days=40),
    )
