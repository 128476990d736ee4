"""The KPIs the values tests enter: a monthly count, a monthly ratio (a percentage), a quarterly
number of days, a computed KPI (read-only), a retired one and one of another sector; world's
practice enrolled two years ago, so recent periods count as missing."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from kpis.values.periods import recent_periods
from psp.tenancy.scope import program_scope
from tests.factories import KpiDefinitionFactory, KpiPracticeTargetFactory

HX = {"HX-Request": "true"}


@dataclass
class Kpis:
    visits: object  # count, monthly, target 40
    no_show: object  # percent ratio, monthly, at most 60
    wait: object  # days, quarterly
    computed: object
    retired: object
    law_only: object


@pytest.fixture
def kpis(world) -> Kpis:
    program = world.program
    with program_scope(program):
        world.practice.enrolled_on = timezone.localdate() - timedelta(days=730)
        world.practice.save()
        found = Kpis(
            visits=KpiDefinitionFactory(
                program=program,
                code="patient-visits",
                name="Patient visits",
                unit="count",
                direction="higher",
                aggregation="sum",
                target=40,
                position=1,
            ),
            no_show=KpiDefinitionFactory(
                program=program,
                code="no-show-rate",
                name="Missed appointment rate",
                unit="percent",
                direction="lower",
                aggregation="ratio",
                max_value=60,
                position=2,
            ),
            wait=KpiDefinitionFactory(
                program=program,
                code="days-to-intake",
                name="Days to intake",
                unit="days",
                frequency="quarterly",
                position=3,
            ),
            computed=KpiDefinitionFactory(
                program=program,
                code="coaching-hours",
                name="Coaching hours",
                unit="hours",
                source="computed",
                measure="coaching-hours",
            ),
            retired=KpiDefinitionFactory(
                program=program, code="old-kpi", name="Old KPI", unit="count", is_active=False
            ),
            law_only=KpiDefinitionFactory(
                program=program,
                code="client-satisfaction",
                name="Client satisfaction",
                unit="score",
                sector="law",
            ),
        )
        KpiPracticeTargetFactory(
            program=program, definition=found.visits, practice=world.practice, target=45
        )
    return found


def last_month():
    return recent_periods(timezone.localdate(), "monthly", 1, back=1)[0]


def last_quarter():
    return recent_periods(timezone.localdate(), "quarterly", 1, back=1)[0]
