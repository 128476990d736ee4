"""Summaries a dashboard reads: each aggregation on known values, the distribution, targets,
the breakdowns, quarters, reruns, and a refresh's query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.models import KpiPracticeTarget, KpiSummary, KpiValue
from kpis.refresh.services import kpis_refresh
from practices.models import Practice
from tests.factories import PracticeFactory
from tests.kpis.refresh.helpers import figures, put_values, summary

pytestmark = pytest.mark.django_db

PRIMARY_AND_LAW = [1, 2, 3, 6, 10, None]  # practices 0-4 have a value, 5 has none


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [("sum", 22.0), ("mean", 4.4), ("median", 3.0)],
)
def test_each_aggregation_combines_the_practices_values(scoped, define, aggregation, expected):
    kpi = define(aggregation=aggregation, direction="higher")
    put_values(scoped, kpi, scoped.month(1), PRIMARY_AND_LAW)

    kpis_refresh(program=scoped.program, months=3)

    row = summary(kpi, scoped.month(1))
    assert row.practices == 5
    assert figures(row, "value") == (expected,)
    assert figures(row, "minimum", "p25", "median", "p75", "maximum") == (1, 2, 3, 6, 10)


def test_a_ratio_divides_the_summed_numerators_by_the_summed_denominators(scoped, define):
    kpi = define(aggregation="ratio", unit="percent")
    # 10% of 100, 50% of 10: the program's rate is 15 / 110, not the mean of 10% and 50%.
    put_values(
        scoped, kpi, scoped.month(0), [10, 50], numerators=[1000, 500], denominators=[100, 10]
    )

    kpis_refresh(program=scoped.program, months=1)

    row = summary(kpi, scoped.month(0))
    assert figures(row, "numerator", "denominator") == (1500, 110)
    assert row.value == Decimal("13.6364")


def test_latest_carries_each_practices_last_value_forward(scoped, define):
    kpi = define(aggregation="latest", direction="higher")
    put_values(scoped, kpi, scoped.month(30), [100])  # before the window: still practice 0's
    put_values(scoped, kpi, scoped.month(3), [None, 20])
    put_values(scoped, kpi, scoped.month(1), [None, 40, 60])

    kpis_refresh(program=scoped.program)

    assert figures(summary(kpi, scoped.month(4)), "value", "practices") == (100, 1)
    assert figures(summary(kpi, scoped.month(3)), "value", "practices") == (60, 2)
    assert figures(summary(kpi, scoped.month(2)), "value", "practices") == (60, 2)
    assert figures(summary(kpi, scoped.month(0)), "value", "practices") == (
        pytest.approx(66.6667),
        3,
    )


def test_a_quarterly_kpi_is_summarised_at_quarter_starts(scoped, define):
    kpi = define(frequency="quarterly", aggregation="sum")
    quarter = scoped.month(0).replace(month=(scoped.month(0).month - 1) // 3 * 3 + 1)
    put_values(scoped, kpi, quarter, [5, 7])

    kpis_refresh(program=scoped.program, months=1)

    assert KpiSummary.objects.filter(definition=kpi, breakdown="all").count() == 1
    assert figures(summary(kpi, quarter), "value") == (12,)


def test_histogram_has_ten_equal_bins_from_lowest_to_highest(scoped, define):
    kpi = define()
    put_values(scoped, kpi, scoped.month(0), [0, 1, 5, 9.5, 10, 10])

    kpis_refresh(program=scoped.program, months=1)

    assert summary(kpi, scoped.month(0)).histogram == [1, 1, 0, 0, 0, 1, 0, 0, 0, 3]


def test_on_target_uses_the_practices_own_target_else_the_programs(scoped, define):
    kpi = define(direction="lower", target=Decimal("5"))
    KpiPracticeTarget.objects.create(
        program=scoped.program, definition=kpi, practice=scoped.practices[2], target=8
    )
    put_values(scoped, kpi, scoped.month(0), [4, 5, 7, 9])  # met, met, met (own 8), missed

    kpis_refresh(program=scoped.program, months=1)

    assert summary(kpi, scoped.month(0)).on_target == 3


def test_higher_is_better_counts_values_at_or_above_target_and_neutral_counts_none(scoped, define):
    higher = define(direction="higher", target=Decimal("5"))
    neutral = define(direction="neutral", target=Decimal("5"))
    for kpi in (higher, neutral):
        put_values(scoped, kpi, scoped.month(0), [4, 5, 7])

    kpis_refresh(program=scoped.program, months=1)

    assert summary(higher, scoped.month(0)).on_target == 2
    assert summary(neutral, scoped.month(0)).on_target == 0


def test_breakdowns_group_by_sector_region_primary_coach_and_stage(scoped, define):
    kpi = define(aggregation="sum")
    put_values(scoped, kpi, scoped.month(0), [1, 2, 4, 8, 16, 32])

    kpis_refresh(program=scoped.program, months=1)

    rows = KpiSummary.objects.filter(definition=kpi, period=scoped.month(0))
    sums = {(row.breakdown, row.group_key): int(row.value) for row in rows}
    a, b = str(scoped.coach_a.pk), str(scoped.coach_b.pk)
    assert sums == {
        ("all", ""): 63,
        ("sector", "primary_care"): 15,
        ("sector", "law"): 48,
        ("region", "North"): 19,
        ("region", "South"): 12,
        ("coach", a): 3,
        ("coach", b): 20,
        ("stage", "pilot"): 51,
        ("stage", "training"): 12,
    }


def test_a_sector_kpi_counts_only_that_sectors_practices(scoped, define):
    kpi = define(aggregation="sum", sector="law")
    put_values(scoped, kpi, scoped.month(0), [1, 2, 4, 8, 16, 32])

    kpis_refresh(program=scoped.program, months=1)

    assert figures(summary(kpi, scoped.month(0)), "value", "practices") == (48, 2)


def test_a_rerun_writes_the_same_summaries_and_drops_periods_without_values(scoped, define):
    kpi = define(aggregation="sum")
    put_values(scoped, kpi, scoped.month(0), [1, 2])
    put_values(scoped, kpi, scoped.month(1), [3])
    kpis_refresh(program=scoped.program, months=3)
    first = sorted(KpiSummary.objects.values_list("breakdown", "group_key", "period", "value"))

    again = kpis_refresh(program=scoped.program, months=3)

    rows = sorted(KpiSummary.objects.values_list("breakdown", "group_key", "period", "value"))
    assert rows == first
    assert again["ranked"] == 0  # percentiles unchanged: nothing rewritten
    KpiValue.objects.filter(period=scoped.month(1)).delete()
    kpis_refresh(program=scoped.program, months=3)
    assert not KpiSummary.objects.filter(period=scoped.month(1)).exists()


def _fill(world, kpis):
    KpiValue.objects.all().delete()
    for kpi in kpis:
        for back in range(3):
            values = [index + back for index in range(len(world.practices))]
            ones = [1] * len(values)
            put_values(world, kpi, world.month(back), values, numerators=values, denominators=ones)


def test_a_refreshs_query_count_does_not_grow_with_practices(
    scoped, define, django_assert_num_queries
):
    kpis = [define(aggregation="sum"), define(aggregation="latest"), define(aggregation="ratio")]
    _fill(scoped, kpis)
    kpis_refresh(program=scoped.program, months=3)  # the program's first refresh: its stamp row
    _fill(scoped, kpis)
    with CaptureQueriesContext(connection) as small:
        kpis_refresh(program=scoped.program, months=3)
    for index in range(12):
        PracticeFactory(program=scoped.program, name=f"Extra {index}", region=f"R{index}")
    scoped.practices = list(Practice.objects.order_by("pk"))
    _fill(scoped, kpis)

    with django_assert_num_queries(len(small)):
        kpis_refresh(program=scoped.program, months=3)
