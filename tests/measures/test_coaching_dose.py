"""The coaching dose measures count logged visits only, by the month of the visit."""

from datetime import date
from decimal import Decimal

from tests.factories import VisitFactory
from tests.measures.conftest import APR, FEB, JAN, MAR, MAY, TODAY, values


def test_visits_count_logged_visits_per_practice_and_month(measure_world):
    assert values(measure_world, "visits") == {
        ("North Clinic", JAN): 2,  # the planned and the cancelled visit do not count
        ("North Clinic", MAR): 1,
        ("South Clinic", FEB): 1,
    }


def test_coaching_hours_are_the_visits_durations_without_travel(measure_world):
    assert values(measure_world, "coaching-hours") == {
        ("North Clinic", JAN): 2,
        ("North Clinic", MAR): Decimal("0.75"),
        ("South Clinic", FEB): 2,
    }


def test_hours_by_activity_are_the_minutes_recorded_against_it(measure_world):
    assert values(measure_world, "coaching-hours-activity-workflow") == {
        ("North Clinic", JAN): Decimal("1.5")
    }
    assert values(measure_world, "coaching-hours-activity-technology") == {
        ("North Clinic", JAN): Decimal("0.5")
    }
    assert values(measure_world, "coaching-hours-activity-data-review") == {
        ("North Clinic", MAR): Decimal("0.75")
    }
    assert values(measure_world, "coaching-hours-activity-facilitation") == {
        ("South Clinic", FEB): 2
    }
    assert values(measure_world, "coaching-hours-activity-cpd") == {}


def test_hours_are_exact_decimals(measure_world):
    VisitFactory(
        program=measure_world.program,
        practice=measure_world.idle,
        coach=None,
        visit_date=date(2026, 2, 3),
        duration_minutes=50,
    )
    hours = values(measure_world, "coaching-hours", months=[FEB])["Idle Clinic", FEB]
    assert hours == Decimal(50) / 60 and round(hours, 4) == Decimal("0.8333")


def test_hours_by_mode_leave_out_cancelled_visits(measure_world):
    assert values(measure_world, "coaching-hours-mode-on-site") == {
        ("North Clinic", JAN): Decimal("1.5"),
        ("South Clinic", FEB): 2,
    }
    assert values(measure_world, "coaching-hours-mode-virtual") == {
        ("North Clinic", JAN): Decimal("0.5")
    }
    assert values(measure_world, "coaching-hours-mode-phone") == {
        ("North Clinic", MAR): Decimal("0.75")
    }
    assert values(measure_world, "coaching-hours-mode-email") == {}


def test_days_since_last_visit_run_to_the_month_end_or_today(measure_world):
    assert values(measure_world, "days-since-last-visit", today=TODAY) == {
        ("North Clinic", JAN): 11,  # 20 Jan to 31 Jan; the planned visit of 25 Jan is not one
        ("North Clinic", FEB): 39,
        ("North Clinic", MAR): 26,
        ("North Clinic", APR): 41,  # to today, 15 April
        ("South Clinic", JAN): 42,  # from its visit of 20 December
        ("South Clinic", FEB): 14,
        ("South Clinic", MAR): 45,
        ("South Clinic", APR): 60,
    }


def test_days_since_last_visit_has_nothing_for_months_not_begun(measure_world):
    assert values(measure_world, "days-since-last-visit", months=[MAY], today=TODAY) == {}


def test_only_the_practices_asked_for_are_counted(measure_world):
    south = [measure_world.south.pk]
    assert values(measure_world, "visits", practice_ids=south) == {("South Clinic", FEB): 1}
    assert values(measure_world, "days-since-last-visit", months=[JAN], practice_ids=south) == {
        ("South Clinic", JAN): 42
    }
    assert values(measure_world, "visits", practice_ids=[]) == {}


def test_months_not_asked_for_or_without_visits_yield_nothing(measure_world):
    assert values(measure_world, "visits", months=[FEB]) == {("South Clinic", FEB): 1}
    assert values(measure_world, "coaching-hours", months=[APR, MAY]) == {}


def test_another_programs_visits_never_count(measure_world):
    elsewhere = VisitFactory(visit_date=date(2026, 2, 3))  # a practice of another program
    assert values(measure_world, "visits", months=[FEB]) == {("South Clinic", FEB): 1}
    assert values(measure_world, "visits", months=[FEB], practice_ids=[elsewhere.practice_id]) == {}
