"""Computed KPIs: the measure's answers become the KPI's values, written in bulk, changed and
removed as the measure's answers change, and folded into quarters."""

from decimal import Decimal

import pytest

from kpis.models import KpiValue, ValueOrigin
from kpis.refresh.services import kpis_refresh
from psp.measures.registry import Measure, MeasureValue, registry
from tests.kpis.refresh.helpers import figures, summary

pytestmark = pytest.mark.django_db

# What the fake measure answers: (practice index, months back) -> (value, numerator, denominator)
ANSWERS: dict[tuple[int, int], tuple] = {}
ASKED: list[dict] = []
WORLD: dict = {}  # the test's world, for the measure to name its practices and months


def _compute(program, *, months, practice_ids=None):
    ASKED.append({"months": list(months), "practice_ids": practice_ids})
    for (index, back), (value, numerator, denominator) in ANSWERS.items():
        practice = WORLD["world"].practices[index]
        period = WORLD["world"].month(back)
        if period in months and (practice_ids is None or practice.pk in practice_ids):
            yield MeasureValue(practice.pk, period, Decimal(value), numerator, denominator)


FAKE = Measure(
    code="test-visits-kept",
    name="Visits kept",
    description="A measure the refresh tests answer by hand.",
    unit="percent",
    direction="higher",
    aggregation="ratio",
    compute=_compute,
    app="tests",
)


@pytest.fixture(autouse=True)
def fake_measure(scoped):
    registry.add(FAKE)
    WORLD["world"] = scoped
    ANSWERS.clear()
    ASKED.clear()
    yield
    registry.measures.pop(FAKE.code, None)


def computed_values(kpi) -> dict:
    rows = KpiValue.objects.filter(definition=kpi)
    return {(row.practice_id, row.period): (float(row.value), row.origin) for row in rows}


def test_a_computed_kpi_gets_the_measures_values(scoped, define):
    kpi = define(source="computed", measure=FAKE.code, aggregation="ratio")
    ANSWERS.update({(0, 0): ("50", Decimal(1), Decimal(2)), (1, 1): ("25", Decimal(1), Decimal(4))})

    kpis_refresh(program=scoped.program, months=3)

    first, second = scoped.practices[0].pk, scoped.practices[1].pk
    assert computed_values(kpi) == {
        (first, scoped.month(0)): (50.0, ValueOrigin.COMPUTED),
        (second, scoped.month(1)): (25.0, ValueOrigin.COMPUTED),
    }
    assert ASKED[-1]["months"] == [scoped.month(2), scoped.month(1), scoped.month(0)]


def test_changed_answers_are_updated_and_vanished_ones_removed(scoped, define):
    kpi = define(source="computed", measure=FAKE.code, aggregation="mean")
    ANSWERS.update({(0, 0): ("5", None, None), (1, 0): ("7", None, None)})
    kpis_refresh(program=scoped.program, months=2)

    ANSWERS.clear()
    ANSWERS.update({(0, 0): ("6", None, None), (2, 1): ("9", None, None)})
    counts = kpis_refresh(program=scoped.program, months=2)

    assert counts["written"] == 2 and counts["removed"] == 1
    assert computed_values(kpi) == {
        (scoped.practices[0].pk, scoped.month(0)): (6.0, ValueOrigin.COMPUTED),
        (scoped.practices[2].pk, scoped.month(1)): (9.0, ValueOrigin.COMPUTED),
    }
    assert figures(summary(kpi, scoped.month(0)), "value") == (6,)


def test_values_outside_the_window_are_left_alone(scoped, define):
    kpi = define(source="computed", measure=FAKE.code, aggregation="mean")
    ANSWERS.update({(0, 5): ("5", None, None)})
    kpis_refresh(program=scoped.program, months=12)
    ANSWERS.clear()

    kpis_refresh(program=scoped.program, months=2)

    assert len(computed_values(kpi)) == 1


def test_a_rerun_with_the_same_answers_writes_nothing(scoped, define):
    define(source="computed", measure=FAKE.code, aggregation="ratio")
    ANSWERS.update({(0, 0): ("50", Decimal(1), Decimal(2))})
    kpis_refresh(program=scoped.program, months=1)

    again = kpis_refresh(program=scoped.program, months=1)

    assert (again["written"], again["removed"], again["ranked"]) == (0, 0, 0)


def test_a_quarterly_computed_kpi_folds_its_months_into_the_quarter(scoped, define):
    kpi = define(source="computed", measure=FAKE.code, aggregation="ratio", frequency="quarterly")
    now = scoped.month(0)
    quarter = now.replace(month=(now.month - 1) // 3 * 3 + 1)
    months_in = (now.month - 1) % 3  # months of this quarter before the current one
    ANSWERS.update({(0, back): ("10", Decimal(1), Decimal(10)) for back in range(months_in + 1)})
    ANSWERS[(0, 0)] = ("50", Decimal(5), Decimal(10))

    kpis_refresh(program=scoped.program, months=1)

    value = KpiValue.objects.get(definition=kpi)
    assert value.period == quarter
    assert value.numerator == 5 + months_in and value.denominator == 10 * (months_in + 1)
    assert ASKED[-1]["months"][0] == quarter  # the whole quarter, not only the last month


def test_a_sector_kpi_asks_the_measure_only_for_that_sectors_practices(scoped, define):
    define(source="computed", measure=FAKE.code, sector="law")

    kpis_refresh(program=scoped.program, months=1)

    assert sorted(ASKED[-1]["practice_ids"]) == [p.pk for p in scoped.practices[4:]]


def test_a_kpi_naming_no_registered_measure_is_skipped(scoped, define):
    kpi = define(source="computed", measure="not-registered")

    counts = kpis_refresh(program=scoped.program, months=1)

    assert counts["definitions"] == 1 and not KpiValue.objects.filter(definition=kpi).exists()
