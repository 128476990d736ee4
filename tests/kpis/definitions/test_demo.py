"""The demo's KPI definitions: the program's sector pack and the platform pack, targets for the
computed KPIs, a few practices with their own, and nothing changed by seeding again."""

import pytest
from django.utils import timezone

from kpis.models import KpiDefinition, KpiPracticeTarget
from psp.demo import kpi_definitions
from psp.demo.common import DemoProgram
from psp.tenancy.scope import program_scope
from tests.kpis.definitions.helpers import measure, measures_registered

pytestmark = pytest.mark.django_db


def _demo(world) -> DemoProgram:
    demo = DemoProgram(program=world.program, now=timezone.now(), password_hash="")
    demo.people["admin"] = world.admin
    demo.practices = {p.name: p for p in (world.practice, world.other_practice)}
    return demo


def test_the_demo_loads_the_sector_and_platform_packs_with_targets(world):
    with measures_registered(measure("visits", unit="count")), program_scope(world.program):
        kpi_definitions.build(_demo(world))
        codes = dict(KpiDefinition.objects.values_list("code", "target"))
        own = KpiPracticeTarget.objects.count()
        kpi_definitions.build(_demo(world))  # seeding again adds and changes nothing
        again = dict(KpiDefinition.objects.values_list("code", "target"))

    assert "third-next-available" in codes  # the North PSP demo world is primary care
    assert codes["visits"] == 2
    assert own == 2
    assert again == codes
