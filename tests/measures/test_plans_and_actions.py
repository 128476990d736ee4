"""Plan goals achieved and actions done on time, as percents that combine by their counts."""

from datetime import date
from decimal import Decimal

from coaching.models import ActionStatus
from tests.factories import PlanActionFactory
from tests.measures.conftest import APR, FEB, JAN, MAR, TODAY, at, ratios, values


def test_goals_achieved_follow_each_goals_status_at_the_month_end(measure_world):
    assert ratios(measure_world, "plan-goals-achieved") == {
        # North's plan was accepted on 5 January with three goals, none achieved yet.
        ("North Clinic", JAN): (0, 3),
        ("North Clinic", FEB): (100, 3),  # one achieved on 10 February
        # One dropped on 1 March no longer counts; one added on 15 March and achieved on 20th.
        ("North Clinic", MAR): (200, 3),
        ("North Clinic", APR): (200, 3),
        # South's draft never counts; its completed plan, written without history, counts as
        # it stands from its acceptance on 1 February.
        ("South Clinic", FEB): (100, 1),
        ("South Clinic", MAR): (100, 1),
        ("South Clinic", APR): (100, 1),
    }


def test_goals_achieved_is_a_percent(measure_world):
    found = values(measure_world, "plan-goals-achieved", months=[MAR])
    assert round(found["North Clinic", MAR], 2) == Decimal("66.67")


def test_actions_on_time_count_actions_due_in_the_month_once_due(measure_world):
    assert ratios(measure_world, "actions-on-time", today=TODAY) == {
        # Due in January: one done the day before, one done late, one never done; the dropped
        # one does not count.
        ("North Clinic", JAN): (100, 3),
        # Due in April: one done on its due day, one done early; the one due on the 20th is
        # not late yet.
        ("North Clinic", APR): (200, 2),
        ("South Clinic", MAR): (0, 1),
    }


def test_actions_not_yet_due_are_not_counted_against_the_month(measure_world):
    before = ratios(measure_world, "actions-on-time", months=[APR], today=TODAY)
    later = ratios(measure_world, "actions-on-time", months=[APR], today=TODAY.replace(day=25))
    assert before == {("North Clinic", APR): (200, 2)}
    assert later == {("North Clinic", APR): (200, 3)}


def test_practices_and_months_not_asked_for_yield_nothing(measure_world):
    south = [measure_world.south.pk]
    assert values(measure_world, "plan-goals-achieved", months=[JAN], practice_ids=south) == {}
    assert values(measure_world, "actions-on-time", months=[FEB], today=TODAY) == {}
    assert (
        values(measure_world, "actions-on-time", practice_ids=[measure_world.idle.pk], today=TODAY)
        == {}
    )


def test_on_time_is_judged_by_the_day_in_the_programs_time_zone(measure_world):
    # Done at 22:00 on its due day in Toronto, which is 03:00 the next day in UTC.
    PlanActionFactory(
        program=measure_world.program,
        practice=measure_world.north,
        plan=None,
        goal=None,
        due_on=date(2026, 2, 14),
        status=ActionStatus.DONE,
        completed_at=at("2026-02-15", "03:00"),
    )
    assert ratios(measure_world, "actions-on-time", months=[FEB], today=TODAY) == {
        ("North Clinic", FEB): (0, 1)
    }
    measure_world.program.time_zone = "America/Toronto"
    assert ratios(measure_world, "actions-on-time", months=[FEB], today=TODAY) == {
        ("North Clinic", FEB): (100, 1)
    }
