"""The demo's KPI values: two years per practice and KPI, in each KPI's unit and range, the same
every run, with gaps in the last months and a shift the run chart can see."""

import statistics
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kpis.models import KpiValue
from psp.demo.common import DemoProgram
from psp.demo.kpi_values import kpi_values_build
from psp.tenancy.scope import program_scope
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def build(world, *, more_practices=True):
    with program_scope(world.program):
        for n in range(4 if more_practices else 0):
            PracticeFactory(program=world.program, name=f"Zed Clinic {n}")
        demo = DemoProgram(program=world.program, now=timezone.now(), password_hash="")
        count = kpi_values_build(demo)
        values = list(KpiValue.objects.select_related("definition", "practice"))
    return count, values


def test_every_practice_gets_two_years_of_each_entered_kpi(world, kpis):
    count, values = build(world)

    assert count == len(values) > 0
    codes = {v.definition.code for v in values}
    assert codes == {"patient-visits", "no-show-rate", "days-to-intake"}  # entered, in sector
    per_series = {}
    for v in values:
        per_series.setdefault((v.definition.code, v.practice_id), []).append(v)
    assert max(len(s) for k, s in per_series.items() if k[0] == "patient-visits") == 24
    assert max(len(s) for k, s in per_series.items() if k[0] == "days-to-intake") == 8
    assert min(len(s) for k, s in per_series.items() if k[0] == "patient-visits") < 24  # gaps
    latest = max(v.period for v in values)
    assert latest < timezone.localdate().replace(day=1)  # completed periods only


def test_values_respect_their_unit_and_range(world, kpis):
    _, values = build(world)
    for v in values:
        if v.definition.code == "patient-visits":
            assert v.value == v.value.to_integral_value() and v.value >= 0
        if v.definition.code == "no-show-rate":
            assert 0 <= v.value <= 60  # the KPI's own maximum
            assert abs(v.value - v.numerator / v.denominator) < Decimal("0.0001")
        if v.definition.code == "days-to-intake":
            assert v.value >= 0


def test_the_demo_is_the_same_every_run(world, kpis):
    _, first = build(world)
    with program_scope(world.program):
        KpiValue.objects.all().delete()
    _, second = build(world, more_practices=False)
    key = lambda v: (v.definition_id, v.practice.name, v.period, v.value)  # noqa: E731
    assert sorted(map(key, first)) == sorted(map(key, second))


def test_one_practice_shows_a_shift_to_the_better(world, kpis):
    _, values = build(world)
    first_practice = min((v.practice for v in values), key=lambda p: p.name)
    series = sorted(
        (v.period, v.value)
        for v in values
        if v.practice_id == first_practice.pk and v.definition.code == "patient-visits"
    )
    median = statistics.median(value for _, value in series)
    assert all(value > median for _, value in series[-6:]), " ".join(str(v) for _, v in series)


def test_a_practice_that_enrolled_lately_still_gets_its_history(world, kpis):
    with program_scope(world.program):
        world.practice.enrolled_on = timezone.localdate() - timedelta(days=30)
        world.practice.save()
    _, values = build(world)
    assert any(v.practice_id == world.practice.pk for v in values)
