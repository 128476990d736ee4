"""What the KPI dashboards read of PDSA cycles: a practice's cycles by KPI with their dates, and
the cycles started per month over many practices."""

from datetime import date

from coaching.models import PdsaStage
from coaching.pdsa.selectors import cycles_started_by_month, practice_cycle_marks
from psp.tenancy.scope import program_scope
from tests import factories as f


def test_a_practices_marks_are_its_started_cycles_on_a_kpi_with_their_dates(pdsa_world):
    s = pdsa_world
    program = s.world.program
    with program_scope(program):
        adopted = f.PdsaCycleFactory(
            program=program,
            goal=s.goal,
            number=1,
            stage=PdsaStage.ENDED,
            started_on=date(2026, 3, 2),
            ended_on=date(2026, 4, 20),
            decision="adopt",
        )
        f.PdsaCycleFactory(program=program, goal=s.goal, number=2)  # not started: no mark
        f.PdsaCycleFactory(
            program=program,
            goal=s.goal,
            number=3,
            kpi_key="panel-size",
            started_on=date(2026, 5, 1),
        )
        f.PdsaCycleFactory(program=program, goal=s.other_goal, started_on=date(2026, 3, 9))

        marks = practice_cycle_marks(practice_id=s.world.practice.pk, kpi_keys=["no-show-rate"])
        every_kpi = practice_cycle_marks(practice_id=s.world.practice.pk)

    assert [(m.number, m.started_on, m.ended_on, m.decision) for m in marks] == [
        (adopted.number, date(2026, 3, 2), date(2026, 4, 20), "Adopt")
    ]
    assert {m.kpi_key for m in every_kpi} == {"no-show-rate", "panel-size"}


def test_cycles_started_are_counted_by_month_over_the_practices_asked_for(pdsa_world):
    s = pdsa_world
    program = s.world.program
    with program_scope(program):
        for number, (goal, day) in enumerate(
            [
                (s.goal, date(2026, 3, 2)),
                (s.goal, date(2026, 3, 30)),
                (s.goal, date(2026, 5, 4)),
                (s.other_goal, date(2026, 3, 9)),
                (s.other_goal, date(2025, 1, 9)),
            ],
            start=1,
        ):
            f.PdsaCycleFactory(program=program, goal=goal, number=number, started_on=day)

        everyone = cycles_started_by_month(
            practice_ids=None, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
        )
        ours = cycles_started_by_month(
            practice_ids=[s.world.practice.pk],
            date_from=date(2026, 1, 1),
            date_to=date(2026, 12, 31),
        )

    assert everyone == {date(2026, 3, 1): 3, date(2026, 5, 1): 1}
    assert ours == {date(2026, 3, 1): 2, date(2026, 5, 1): 1}
