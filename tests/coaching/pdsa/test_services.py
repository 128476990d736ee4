"""PDSA cycles as the services keep them: stages in order with their dates, what each stage
records, the next cycle after an adapted one, and a line of the plan's history for each write."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import PdsaCycle, PdsaStage, PlanStatus, SupportPlan
from coaching.pdsa import services
from psp.history.models import ChangeRecord, RecordType
from psp.tenancy.scope import program_scope

TODAY = timezone.localdate()


@pytest.fixture
def scoped(pdsa_world):
    with program_scope(pdsa_world.world.program):
        yield pdsa_world


def plan_cycle(s, **extra):
    data = {
        "change_idea": "Text reminders two days ahead",
        "prediction": "Missed appointments fall from 12% to 8%.",
    }
    return services.pdsa_cycle_plan(
        program=s.world.program, goal=s.goal, by=s.world.coach, **(data | extra)
    )


def move(s, cycle, **data):
    return services.pdsa_cycle_move(
        program=s.world.program, cycle=cycle, by=s.world.coach, data=data, today=TODAY
    )


def run_to_act(s, cycle, started=20, studied=5):
    cycle = move(s, cycle, started_on=TODAY - timedelta(days=started))
    cycle = move(s, cycle, what_done="Reminders sent by the front desk every morning.")
    return move(s, cycle, result="Missed fell to 9%.", studied_on=TODAY - timedelta(days=studied))


def test_a_cycle_moves_through_plan_do_study_act_in_order(scoped):
    cycle = plan_cycle(scoped)
    assert (cycle.number, cycle.stage) == (1, PdsaStage.PLAN)

    cycle = run_to_act(scoped, cycle)
    assert cycle.stage == PdsaStage.ACT
    cycle = move(scoped, cycle, decision="adopt", act_notes="", ended_on=TODAY)

    stored = PdsaCycle.objects.get(pk=cycle.pk)
    assert stored.stage == PdsaStage.ENDED
    assert stored.started_on == TODAY - timedelta(days=20)
    assert stored.studied_on == TODAY - timedelta(days=5)
    assert (stored.decision, stored.ended_on) == ("adopt", TODAY)


def test_the_kpi_to_watch_is_the_goals_unless_another_is_named(scoped):
    assert plan_cycle(scoped).kpi_key == "no-show-rate"
    assert plan_cycle(scoped, kpi_key="same-day-access").kpi_key == "same-day-access"


def test_a_cycle_needs_a_change_and_a_prediction(scoped):
    with pytest.raises(ValidationError) as error:
        plan_cycle(scoped, change_idea=" ", prediction="")
    assert set(error.value.message_dict) == {"change_idea"}
    assert not PdsaCycle.objects.exists()


@pytest.mark.parametrize(
    ("stage_moves", "data", "field"),
    [
        (0, {}, "started_on"),
        (0, {"started_on": TODAY + timedelta(days=1)}, "started_on"),
        (1, {"what_done": "  "}, "what_done"),
        (2, {"result": "Better", "studied_on": TODAY - timedelta(days=90)}, "studied_on"),
        (2, {"studied_on": TODAY}, "result"),
        (3, {"decision": "keep", "ended_on": TODAY}, "decision"),
        (3, {"decision": "adopt", "ended_on": TODAY - timedelta(days=60)}, "ended_on"),
    ],
)
def test_a_move_missing_what_its_stage_records_is_refused_and_changes_nothing(
    scoped, stage_moves, data, field
):
    cycle = plan_cycle(scoped)
    steps = [
        {"started_on": TODAY - timedelta(days=30)},
        {"what_done": "Reminders sent"},
        {"result": "Better", "studied_on": TODAY - timedelta(days=10)},
    ]
    for step in steps[:stage_moves]:
        cycle = move(scoped, cycle, **step)
    before = PdsaCycle.objects.filter(pk=cycle.pk).values().get()

    with pytest.raises(ValidationError) as error:
        move(scoped, cycle, **data)

    assert field in error.value.message_dict
    assert PdsaCycle.objects.filter(pk=cycle.pk).values().get() == before


def test_an_ended_cycle_moves_no_further(scoped):
    cycle = move(scoped, run_to_act(scoped, plan_cycle(scoped)), decision="abandon", ended_on=TODAY)
    with pytest.raises(ValidationError, match="ended"):
        move(scoped, cycle, started_on=TODAY)


def test_a_move_made_meanwhile_by_someone_else_is_not_repeated(scoped):
    cycle = plan_cycle(scoped)
    move(scoped, cycle, started_on=TODAY)
    with pytest.raises(ValidationError, match="meanwhile"):
        move(scoped, cycle, from_stage=PdsaStage.PLAN, started_on=TODAY)


def test_the_cycle_after_an_adapted_one_takes_its_change_and_prediction(scoped):
    first = move(scoped, run_to_act(scoped, plan_cycle(scoped)), decision="adapt", ended_on=TODAY)

    second = services.pdsa_cycle_plan(
        program=scoped.world.program, goal=scoped.goal, by=scoped.world.coach, previous=first
    )

    assert (second.number, second.previous_id, second.stage) == (2, first.pk, PdsaStage.PLAN)
    assert (second.change_idea, second.prediction) == (first.change_idea, first.prediction)
    assert second.kpi_key == "no-show-rate"


def test_a_cycle_of_another_goal_cannot_be_followed(scoped):
    from tests import factories as f

    elsewhere = f.PdsaCycleFactory(program=scoped.world.program, goal=scoped.other_goal)
    with pytest.raises(ValidationError) as error:
        plan_cycle(scoped, previous=elsewhere)
    assert "previous" in error.value.message_dict


def test_no_cycle_is_planned_on_a_completed_plan(scoped):
    SupportPlan.objects.filter(pk=scoped.plan.pk).update(status=PlanStatus.COMPLETED)
    with pytest.raises(ValidationError, match="no longer be changed"):
        plan_cycle(scoped)


def test_each_write_is_a_line_of_the_plans_history_about_the_cycle(scoped):
    cycle = plan_cycle(scoped)
    cycle = move(scoped, cycle, started_on=TODAY)
    services.pdsa_cycle_update(
        program=scoped.world.program,
        cycle=cycle,
        by=scoped.world.lead,
        data={"prediction": "Missed appointments fall to 7%."},
    )

    lines = ChangeRecord.objects.filter(record_type=RecordType.PDSA, record_id=cycle.pk)
    assert [line.what for line in lines.order_by("pk")] == [
        "pdsa.planned",
        "pdsa.moved",
        "pdsa.edited",
    ]
    edited = lines.get(what="pdsa.edited")
    assert (edited.subject_id, edited.changed_by) == (scoped.plan.pk, scoped.world.lead)
    assert edited.changes["prediction"][1] == "Missed appointments fall to 7%."
    assert "started" in lines.get(what="pdsa.moved").summary


def test_text_of_a_stage_not_reached_cannot_be_written_by_editing(scoped):
    cycle = plan_cycle(scoped)
    with pytest.raises(ValidationError) as error:
        services.pdsa_cycle_update(
            program=scoped.world.program,
            cycle=cycle,
            by=scoped.world.coach,
            data={"result": "It worked"},
        )
    assert "result" in error.value.message_dict
    assert PdsaCycle.objects.get(pk=cycle.pk).result == ""
