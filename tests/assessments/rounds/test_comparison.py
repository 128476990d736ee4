"""A round compared with the practice's baseline and its previous round, domain by domain."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.rounds import selectors
from assessments.rounds.comparison import comparison
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, build_instrument, scored_round

D = Decimal


@pytest.fixture
def version(world):
    return build_instrument(world.program)


def test_a_follow_up_is_compared_with_the_baseline_and_the_previous_round(world, version):
    now = timezone.now()
    low = {**ANSWERS, "roles-clear": 1, "huddles": False, "lead-time": "none"}
    baseline = scored_round(world, version, low, submitted_at=now - timedelta(days=400))
    middle = scored_round(
        world, version, {**low, "huddles": True}, submitted_at=now - timedelta(days=200)
    )
    latest = scored_round(world, version, ANSWERS)

    with program_scope(world.program):
        latest = selectors.assessment_for_page(access=_admin(world), pk=latest.pk)
        compared = comparison(assessment=latest)
    assert (compared.baseline, compared.previous) == (baseline, middle)
    team = {row.domain_key: row for row in compared.domains}["team"]
    assert (team.baseline, team.previous, team.percent) == (D("0.0"), D("33.3"), D("75.0"))
    assert (team.change_from_baseline, team.change_from_previous) == (D("75.0"), D("41.7"))
    assert (
        compared.overall.change_from_baseline == compared.overall.percent - baseline.overall_score
    )

    with program_scope(world.program):
        first = comparison(
            assessment=selectors.assessment_for_page(access=_admin(world), pk=baseline.pk)
        )
    assert (first.baseline, first.previous, first.has_any) == (None, None, False)


def _admin(world):
    return access_for(program=world.program, user=world.admin)
