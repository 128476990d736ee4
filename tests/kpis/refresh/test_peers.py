"""Peer percentiles: a practice's standing among the practices of its sector, better being
higher whatever the KPI's direction, and none below the program's peer minimum."""

import pytest

from kpis.models import KpiValue
from kpis.refresh.services import kpis_refresh
from kpis.refresh.stats import percentiles
from tests.kpis.refresh.helpers import put_values

pytestmark = pytest.mark.django_db


def standings(kpi, period) -> list:
    rows = KpiValue.objects.filter(definition=kpi, period=period).order_by("practice_id")
    return [(row.peer_percentile, row.peer_count) for row in rows]


def test_higher_is_better_ranks_the_highest_value_at_100(scoped, define):
    kpi = define(direction="higher")
    put_values(scoped, kpi, scoped.month(0), [10, 30, 20, 20])

    kpis_refresh(program=scoped.program, months=1)

    # Four primary care peers; the two 20s share the middle.
    assert standings(kpi, scoped.month(0)) == [(0, 4), (100, 4), (50, 4), (50, 4)]


def test_lower_is_better_ranks_the_lowest_value_at_100(scoped, define):
    kpi = define(direction="lower")
    put_values(scoped, kpi, scoped.month(0), [10, 30, 20, 40])

    kpis_refresh(program=scoped.program, months=1)

    assert standings(kpi, scoped.month(0)) == [(100, 4), (33, 4), (67, 4), (0, 4)]


def test_a_group_below_the_peer_minimum_gets_no_percentile_but_its_count(scoped, define):
    kpi = define(direction="higher")
    # Primary care has three values (the minimum is 3), law two.
    put_values(scoped, kpi, scoped.month(0), [1, 2, 3, None, 7, 8])

    kpis_refresh(program=scoped.program, months=1)

    assert standings(kpi, scoped.month(0)) == [(0, 3), (50, 3), (100, 3), (None, 2), (None, 2)]


def test_raising_the_minimum_hides_percentiles_at_the_next_refresh(scoped, define):
    kpi = define(direction="higher")
    put_values(scoped, kpi, scoped.month(0), [1, 2, 3, 4])
    kpis_refresh(program=scoped.program, months=1)
    scoped.program.peer_group_minimum = 5
    scoped.program.save(update_fields=["peer_group_minimum"])

    kpis_refresh(program=scoped.program, months=1)

    assert standings(kpi, scoped.month(0)) == [(None, 4)] * 4


def test_each_period_is_ranked_on_its_own(scoped, define):
    kpi = define(direction="higher")
    put_values(scoped, kpi, scoped.month(0), [1, 2, 3])
    put_values(scoped, kpi, scoped.month(1), [3, 2, 1])

    kpis_refresh(program=scoped.program, months=2)

    assert [p for p, _ in standings(kpi, scoped.month(0))] == [0, 50, 100]
    assert [p for p, _ in standings(kpi, scoped.month(1))] == [100, 50, 0]


def test_the_python_arithmetic_matches_the_rule():
    assert percentiles([5.0], "higher") == [50]
    assert percentiles([1.0, 1.0, 1.0], "lower") == [50, 50, 50]
    assert percentiles([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], "neutral") == [
        0,
        17,
        33,
        50,
        67,
        83,
        100,
    ]
