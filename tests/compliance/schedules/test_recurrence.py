"""When checklist instances open and fall due: calendar periods, month ends, fiscal years."""

from datetime import date

import pytest

from compliance.schedules.recurrence import (
    calendar_periods,
    event_period,
    month_period,
    once_period,
    period_containing,
    quarter_period,
    year_period,
)


@pytest.mark.parametrize(
    ("on", "due"),
    [
        (date(2026, 1, 31), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2028, 2, 15), date(2028, 2, 29)),  # a leap year's February
        (date(2026, 4, 30), date(2026, 4, 30)),
        (date(2026, 12, 3), date(2026, 12, 31)),
    ],
)
def test_a_monthly_checklist_is_due_on_the_last_day_of_its_month(on, due):
    period = month_period(on)
    assert period.opens_on == on.replace(day=1)
    assert period.due_on == due


def test_months_follow_one_another_without_gaps_across_month_ends_and_years():
    periods = calendar_periods(
        "monthly", anchor_month=1, starts_on=date(2025, 11, 30), today=date(2026, 3, 1)
    )
    assert [p.key for p in periods] == ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert [p.label for p in periods][:2] == ["November 2025", "December 2025"]
    for before, after in zip(periods, periods[1:], strict=False):
        assert (after.opens_on - before.due_on).days == 1


def test_quarters_of_a_fiscal_year_starting_in_april():
    assert quarter_period(date(2026, 4, 1), 4).key == "2026-Q1"
    third = quarter_period(date(2026, 12, 3), 4)
    assert (third.key, third.opens_on, third.due_on) == (
        "2026-Q3",
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert third.label == "Q3 2026–27 (Oct–Dec)"
    last = quarter_period(date(2027, 3, 31), 4)
    assert (last.key, last.opens_on, last.due_on) == (
        "2026-Q4",
        date(2027, 1, 1),
        date(2027, 3, 31),
    )


def test_calendar_quarters_and_years():
    assert quarter_period(date(2026, 5, 20), 1).label == "Q2 2026 (Apr–Jun)"
    year = year_period(date(2026, 2, 3), 1)
    assert (year.key, year.label, year.opens_on, year.due_on) == (
        "2026",
        "2026",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    fiscal = year_period(date(2026, 2, 3), 4)
    assert (fiscal.key, fiscal.label, fiscal.due_on) == ("2025", "2025–26", date(2026, 3, 31))


def test_no_period_before_the_start_and_one_per_period_up_to_today():
    assert (
        calendar_periods(
            "annually", anchor_month=1, starts_on=date(2027, 1, 1), today=date(2026, 6, 1)
        )
        == []
    )
    periods = calendar_periods(
        "quarterly", anchor_month=1, starts_on=date(2026, 2, 14), today=date(2026, 7, 1)
    )
    assert [p.key for p in periods] == ["2026-Q1", "2026-Q2", "2026-Q3"]


def test_once_and_after_an_event_fall_due_a_number_of_days_after_opening():
    once = once_period(date(2026, 1, 31), 30)
    assert (once.key, once.due_on) == ("once", date(2026, 3, 2))
    after = event_period("enrolment", "After enrolment", date(2026, 2, 28), 1)
    assert after.due_on == date(2026, 3, 1)


def test_an_unknown_recurrence_is_refused():
    with pytest.raises(ValueError, match="not a calendar recurrence"):
        period_containing("fortnightly", date(2026, 1, 1))
