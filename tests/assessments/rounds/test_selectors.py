"""Reads other pages and apps rely on: when a practice's next follow-up assessment is due."""

from datetime import date

from django.utils import timezone

from assessments.rounds import selectors
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, build_instrument, scored_round


def test_the_next_follow_up_is_due_a_cadence_after_the_last_submitted_round(world):
    version = build_instrument(world.program, cadence_months=6)
    assert _due(world) is None
    scored_round(
        world,
        version,
        ANSWERS,
        submitted_at=timezone.make_aware(timezone.datetime(2025, 8, 31, 12)),
    )
    due = _due(world)
    assert due.due_on == date(2026, 2, 28)  # end of a shorter month
    assert due.is_overdue
    with program_scope(world.program):
        batch = selectors.next_assessments_due(
            practice_ids=[world.practice.pk, world.other_practice.pk]
        )
    assert batch == {world.practice.pk: due}


def _due(world):
    with program_scope(world.program):
        return selectors.next_assessment_due(practice=world.practice)
