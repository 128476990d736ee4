"""A program laid out for KPI summaries: six practices over two sectors, two regions, two
coaches and two stages, with known groups; and a way to name recent months."""

from dataclasses import dataclass
from datetime import date

import pytest

from kpis.refresh.periods import add_months
from practices.models import Stage
from psp.tenancy.models import ProgramRole, Sector
from psp.tenancy.scope import program_scope
from tests.factories import (
    CoachAssignmentFactory,
    KpiDefinitionFactory,
    MembershipFactory,
    PracticeFactory,
    ProgramFactory,
    UserFactory,
)
from tests.shared_data import shared_fixture


@dataclass
class KpiWorld:
    program: object
    practices: list  # p[0..3] primary care, p[4..5] law
    coach_a: object
    coach_b: object

    def month(self, back: int = 0) -> date:
        """The first day of the month `back` months before the program's current one."""
        return add_months(self.program.local_today().replace(day=1), -back)


@shared_fixture
def kpi_world() -> KpiWorld:
    program = ProgramFactory(slug="east-psp", name="East PSP")
    program.peer_group_minimum = 3  # the smallest the program settings allow
    program.save(update_fields=["peer_group_minimum"])
    coach_a = UserFactory(email="coach-a@east.example.org", full_name="Ada Coach")
    coach_b = UserFactory(email="coach-b@east.example.org", full_name="Ben Coach")
    for coach in (coach_a, coach_b):
        MembershipFactory(program=program, user=coach, role=ProgramRole.COACH)
    layout = [
        (Sector.PRIMARY_CARE, "North", coach_a, Stage.PILOT),
        (Sector.PRIMARY_CARE, "North", coach_a, Stage.PILOT),
        (Sector.PRIMARY_CARE, "South", coach_b, Stage.TRAINING),
        (Sector.PRIMARY_CARE, "South", None, Stage.TRAINING),
        (Sector.LAW, "North", coach_b, Stage.PILOT),
        (Sector.LAW, "", None, Stage.PILOT),
    ]
    practices = []
    for index, (sector, region, coach, stage) in enumerate(layout):
        practice = PracticeFactory(
            program=program,
            name=f"East practice {index}",
            sector=sector,
            region=region,
            stage=stage,
        )
        if coach is not None:
            CoachAssignmentFactory(program=program, practice=practice, coach=coach)
        practices.append(practice)
    return KpiWorld(program=program, practices=practices, coach_a=coach_a, coach_b=coach_b)


@pytest.fixture
def scoped(kpi_world):
    with program_scope(kpi_world.program):
        yield kpi_world


@pytest.fixture
def define(kpi_world):
    def make(**fields):
        return KpiDefinitionFactory(program=kpi_world.program, **fields)

    return make
