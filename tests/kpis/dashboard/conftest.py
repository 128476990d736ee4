"""A program with KPI figures for the dashboard's tests: nine primary-care practices in the North
(world's two among them) and three law practices in the South, two KPIs, six months of summaries
for the whole program and each group, and this month's values per practice."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kpis.dashboard.filters import add_months
from kpis.models import KpiRefresh
from psp.tenancy.scope import program_scope
from tests.conftest import build_world
from tests.factories import (
    CoachAssignmentFactory,
    KpiDefinitionFactory,
    KpiSummaryFactory,
    KpiValueFactory,
    PracticeFactory,
)
from tests.shared_data import shared_fixture

# The whole program's no-show rate, oldest month first: falling six months running (a trend).
PROGRAM_SERIES = [Decimal(v) for v in ("20", "18", "16", "14", "12", "11")]


@dataclass
class Figures:
    world: object
    months: list[date]  # oldest first; the last is this month
    no_show: object  # lower is better, target 12
    visits: object  # higher is better, target 4
    north: list  # the nine North practices
    south: list  # the three South practices


def summary(program, definition, month, breakdown, key, practices, value, on_target=0):
    return KpiSummaryFactory(
        program=program,
        definition=definition,
        period=month,
        breakdown=breakdown,
        group_key=key,
        practices=practices,
        value=value,
        median=value,
        minimum=value - 5,
        maximum=value + 5,
        on_target=on_target,
        histogram=[1, 0, 2, 0, 3, 0, 1, 0, 1, 1] if practices >= 9 else [],
    )


def build_figures() -> Figures:
    world = build_world("north-psp", "North PSP")
    program = world.program
    this_month = timezone.localdate().replace(day=1)
    months = [add_months(this_month, -back) for back in range(5, -1, -1)]
    north = [world.practice, world.other_practice]
    for n in range(7):
        practice = PracticeFactory(program=program, name=f"North practice {n}", region="North")
        CoachAssignmentFactory(program=program, practice=practice, coach=world.coach)
        north.append(practice)
    south = [
        PracticeFactory(program=program, name=f"South firm {n}", region="South", sector="law")
        for n in range(3)
    ]
    no_show = KpiDefinitionFactory(
        program=program, code="no-show-rate", name="No-show rate", target=12, position=1
    )
    visits = KpiDefinitionFactory(
        program=program,
        code="visits",
        name="Coaching visits",
        unit="count",
        direction="higher",
        target=4,
        position=2,
    )
    for month, value in zip(months, PROGRAM_SERIES, strict=True):
        summary(program, no_show, month, "all", "", 12, value, on_target=7)
        summary(program, no_show, month, "sector", "primary_care", 9, value - 2, on_target=6)
        summary(program, no_show, month, "sector", "law", 3, value + 9)  # under 5: never shown
        summary(program, no_show, month, "region", "North", 9, value - 1)
        summary(program, no_show, month, "region", "South", 3, value + 8)
        summary(program, no_show, month, "coach", str(world.coach.pk), 8, value - 3)
        summary(program, no_show, month, "stage", "needs_assessment", 12, value)
        # In the last month only four practices reported visits: not shown.
        last = month == months[-1]
        summary(program, visits, month, "all", "", 4 if last else 12, Decimal(9 if last else 3))
    for index, practice in enumerate(north):
        KpiValueFactory(
            program=program,
            definition=no_show,
            practice=practice,
            period=months[-1],
            value=8 + index,
        )
    for practice in south:
        KpiValueFactory(
            program=program, definition=no_show, practice=practice, period=months[-1], value=30
        )
    # update_or_create: where the data commits (the browser test), the practices' writes have
    # already queued and run a refresh, which made the program's one KpiRefresh row.
    with program_scope(program):
        KpiRefresh.objects.update_or_create(
            program=program, defaults={"refreshed_at": timezone.now(), "stale_since": None}
        )
    return Figures(world, months, no_show, visits, north, south)


figures = shared_fixture(build_figures, name="figures")
