"""The demo's PDSA cycles: in each program, cycles in every stage on the active plans' goals, one
adopted, one adapted into a second cycle, one abandoned and one running, with a line of their
plan's history each."""

import pytest

from coaching.models import PdsaCycle, PdsaStage
from psp.demo.programs import LEGAL, NORTHERN
from psp.history.models import ChangeRecord, RecordType
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


@pytest.mark.parametrize("slug", [NORTHERN, LEGAL])
def test_each_program_shows_cycles_in_every_stage_and_every_decision(seeded, slug):
    program = Program.objects.get(slug=slug)
    with program_scope(program):
        cycles = list(PdsaCycle.objects.select_related("goal__plan"))
        lines = ChangeRecord.objects.filter(record_type=RecordType.PDSA).count()

    stages = {cycle.stage for cycle in cycles}
    decisions = {cycle.decision for cycle in cycles if cycle.decision}
    assert stages >= {PdsaStage.DO, PdsaStage.ACT, PdsaStage.ENDED}
    assert decisions == {"adopt", "adapt", "abandon"}
    adapted = next(cycle for cycle in cycles if cycle.decision == "adapt")
    follower = next(cycle for cycle in cycles if cycle.previous_id == adapted.pk)
    assert follower.number == adapted.number + 1 and follower.started_on > adapted.ended_on
    assert all(cycle.goal.plan.status == "active" for cycle in cycles)
    assert lines >= len(cycles)
